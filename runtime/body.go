package kk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// The request body kinds generated code asks for. Each answers 415 with the
// accepted types when the request's Content-Type does not fit.
const (
	acceptJSON = "application/json"
	acceptForm = "application/x-www-form-urlencoded, multipart/form-data"
)

// DecodeJSON decodes the request body into v, a pointer, with
// encoding/json. A Content-Type other than application/json (or a
// +json type) answers 415; malformed JSON answers 400 with the byte offset
// of the problem. The server's MaxBodySize has already turned away
// bodies that are too large (413).
func DecodeJSON(c *Ctx, v any) error {
	if !isJSON(c.Request.Header.ContentType()) {
		return unsupported(c, acceptJSON)
	}
	body := c.PostBody()
	if len(bytes.TrimSpace(body)) == 0 {
		return Error(400, "request body is empty; want a JSON document")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return jsonError(err)
	}
	return nil
}

func isJSON(ct []byte) bool {
	m := mediaType(ct)
	return bytes.EqualFold(m, []byte("application/json")) ||
		(len(m) > len("+json") && bytes.EqualFold(m[len(m)-len("+json"):], []byte("+json")))
}

// mediaType is the media type of a Content-Type value, without its
// parameters or surrounding space, as a view of ct. (mime.ParseMediaType
// allocates a map for the parameters, which routing never needs.)
func mediaType(ct []byte) []byte {
	if i := bytes.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return bytes.TrimSpace(ct)
}

func unsupported(c *Ctx, accepted string) error {
	got := string(c.Request.Header.ContentType())
	if got == "" {
		got = "none"
	}
	return Errorf(415, "unsupported Content-Type %q; this route accepts %s", got, accepted)
}

// jsonError turns encoding/json's errors into 400s that say where.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return Errorf(400, "malformed JSON body at offset %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return Errorf(400, "JSON body at offset %d: cannot use %s as %s", typ.Offset, typ.Value, typ.Type)
		}
		return Errorf(400, "JSON body field %s at offset %d: cannot use %s as %s", typ.Field, typ.Offset, typ.Value, typ.Type)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return Error(400, "malformed JSON body: unexpected end of input")
	}
	return Error(400, fmt.Sprintf("invalid JSON body: %v", err))
}
