package kk

import (
	"bytes"
	"io"

	"github.com/valyala/fasthttp"
)

// This file and gen_decode.go hold what only kk_gen.go calls: the helpers
// its matchers, binders and wrappers share. They are exported because the
// generated code lives in the user's package, not because handlers should
// call them; they follow the generator, and may change with it. The
// package documentation lists them (doc.go).

// SegmentEnd is the index of the first '/' in p at or after i, or len(p).
// Generated matchers use it to find where a ":name" parameter ends.
// A plain loop beats bytes.IndexByte here: segments are short, and the
// loop inlines where IndexByte's setup does not pay off.
func SegmentEnd(p []byte, i int) int {
	for ; i < len(p); i++ {
		if p[i] == '/' {
			return i
		}
	}
	return len(p)
}

// ParamAt is the i-th path parameter of the matched route (in the order
// of Route.Params), as a view into the decoded request path valid until
// the handler returns, or nil when the route has no such parameter.
// Generated wrappers decode path parameters from it by position, as their
// matcher captured them; handlers use c.Param or c.ParamBytes by name.
func ParamAt(c *Ctx, i int) []byte {
	if c.route == nil || i >= len(c.route.Params) {
		return nil // slots past the route's own may hold a failed branch's capture
	}
	return c.params[i]
}

// InputValue is the raw value of key from source in (path, query, header,
// cookie or form), or nil when it is absent. Generated code treats an empty value
// like an absent one. The bytes are valid until the handler returns.
func InputValue(c *Ctx, in In, key string) []byte {
	switch in {
	case InPath:
		return c.ParamBytes(key)
	case InQuery:
		return c.QueryArgs().Peek(key)
	case InHeader:
		return c.Request.Header.Peek(key)
	case InCookie:
		return c.Request.Header.Cookie(key)
	case InForm:
		if vs := formValues(c, key); len(vs) > 0 {
			return vs[0]
		}
	}
	return nil
}

// InputValues is every value of a repeated key, in request order.
func InputValues(c *Ctx, in In, key string) [][]byte {
	switch in {
	case InQuery:
		return c.QueryArgs().PeekMulti(key)
	case InHeader:
		return c.Request.Header.PeekAll(key)
	case InCookie:
		if v := c.Request.Header.Cookie(key); v != nil {
			return [][]byte{v}
		}
	case InForm:
		return formValues(c, key)
	}
	return nil
}

// RequireForm answers 415 unless the body is a urlencoded or multipart
// form. Generated code calls it before binding form fields.
func RequireForm(c *Ctx) error {
	ct := mediaType(c.Request.Header.ContentType())
	if bytes.EqualFold(ct, []byte("application/x-www-form-urlencoded")) {
		return nil
	}
	if bytes.EqualFold(ct, []byte("multipart/form-data")) {
		if _, err := c.MultipartForm(); err != nil {
			return Errorf(400, "malformed multipart form: %v", err)
		}
		return nil
	}
	return unsupported(c, acceptForm)
}

// BodyReader is the request body as a stream: the connection itself when
// the server streams request bodies, else a reader over the read body.
func BodyReader(c *Ctx) io.Reader {
	if r := c.RequestBodyStream(); r != nil {
		return r
	}
	return bytes.NewReader(c.PostBody())
}

// NoContent finishes a handler that returns no value: if it wrote no body
// and left the status at 200, the answer is 204 No Content.
func NoContent(c *Ctx) error {
	if c.Response.StatusCode() == fasthttp.StatusOK && len(c.Response.Body()) == 0 && !c.Response.IsBodyStream() {
		c.SetStatusCode(fasthttp.StatusNoContent)
	}
	return nil
}

// Invalid wraps the error of a Validate method so that it answers 422,
// whatever it wraps. It is nil when err is nil or an empty FieldErrors, so
// a Validate that ends with `return errs` on a nil list passes.
func Invalid(err error) error {
	if err == nil {
		return nil
	}
	if fe, ok := err.(FieldErrors); ok && len(fe) == 0 {
		return nil
	}
	return &ValidationError{Err: err}
}

// Missing is the 422 for required inputs that are absent: each named with
// where it was looked for.
func Missing(fields ...FieldError) error {
	for i := range fields {
		if fields[i].Message == "" {
			fields[i].Message = "required"
		}
	}
	return FieldErrors(fields)
}
