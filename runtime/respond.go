package kk

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"sync"

	"github.com/valyala/fasthttp"
)

// Content types of results. A Content-Type the handler set itself is kept:
// returning a string after setting text/html serves HTML.
const (
	ContentTypeText  = "text/plain; charset=utf-8" // also fasthttp's default
	ContentTypeBytes = "application/octet-stream"
	ContentTypeJSON  = "application/json"
)

// setContentType sets ct unless the handler already chose a content type.
// fasthttp reports its default, text/plain; charset=utf-8, when none is
// set, so that is the one value that can still be replaced.
func setContentType(c *Ctx, ct string) {
	if cur := c.Response.Header.ContentType(); string(cur) != ct && string(cur) == ContentTypeText {
		c.Response.Header.SetContentType(ct)
	}
}

// Text writes a string result as text/plain; charset=utf-8.
func Text(c *Ctx, s string) error {
	// fasthttp sends text/plain; charset=utf-8 when no type is set, unless
	// the server disables default content types.
	if len(c.Response.Header.ContentType()) == 0 {
		c.Response.Header.SetContentType(ContentTypeText)
	}
	c.SetBodyString(s)
	return nil
}

// Bytes writes a []byte result as application/octet-stream.
func Bytes(c *Ctx, b []byte) error {
	setContentType(c, ContentTypeBytes)
	c.SetBody(b)
	return nil
}

type jsonEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var jsonPool = sync.Pool{New: func() any {
	e := new(jsonEncoder)
	e.enc = json.NewEncoder(&e.buf)
	return e
}}

// JSON writes any other result as application/json, encoded as
// encoding/json.Marshal does. An encoding failure is returned and answers
// 500.
func JSON(c *Ctx, v any) error {
	e := jsonPool.Get().(*jsonEncoder)
	defer jsonPool.Put(e)
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return err
	}
	b := e.buf.Bytes()
	setContentType(c, ContentTypeJSON)
	c.SetBody(b[:len(b)-1]) // Encode ends with a newline Marshal does not write
	return nil
}

// Stream writes an io.Reader result as the response body, streamed to the
// client with backpressure (application/octet-stream unless the handler
// chose a type; chunked unless r is an *io.LimitedReader, whose N is the
// Content-Length). If it is also an io.Closer, it is closed once sent.
func Stream(c *Ctx, r io.Reader) error {
	setContentType(c, ContentTypeBytes)
	size := -1
	if lr, ok := r.(*io.LimitedReader); ok && lr.N >= 0 && lr.N <= maxInt {
		size = int(lr.N)
	}
	c.SetBodyStream(newResponseStream(c, r), size) // stream.go
	return nil
}

// Response is a result that carries its own status and headers with a
// typed body, encoded by the same rules as a plain result: string as text,
// []byte as bytes, io.Reader streamed, anything else JSON. A zero Status
// means 200; 204 and 304 send no body.
type Response[T any] struct {
	Status int
	Header map[string]string
	Body   T
}

// Respond writes a Response result.
func Respond[T any](c *Ctx, r Response[T]) error {
	if r.Status != 0 {
		c.SetStatusCode(r.Status)
	}
	for k, v := range r.Header {
		c.Response.Header.Set(k, v)
	}
	if r.Status == fasthttp.StatusNoContent || r.Status == fasthttp.StatusNotModified {
		return nil
	}
	switch b := any(r.Body).(type) {
	case string:
		return Text(c, b)
	case []byte:
		return Bytes(c, b)
	case io.Reader:
		return Stream(c, b)
	}
	return JSON(c, r.Body)
}

// Redirect answers with a redirect to url: status is 301, 302, 303, 307 or
// 308 (another is 302). It returns nil, so a handler can end with return
// kk.Redirect(...).
//
// An absolute URL ("https://other.example/x", "//other.example/x") is
// sent as it is. Any other is sent as a path: "/new" as it is, and one
// relative to the request's path ("edit", "../up?x=1") resolved against
// it. The Location never names a scheme or host kk would have to guess,
// so the client's browser keeps the scheme and host it used, which
// behind a TLS-terminating proxy is https and the public name (RFC 9110
// section 10.2.2 allows a relative Location). fasthttp's c.Redirect,
// which writes the absolute http:// URL the server sees, is not that.
func Redirect(c *Ctx, url string, status int) error {
	switch status {
	case fasthttp.StatusMovedPermanently, fasthttp.StatusFound, fasthttp.StatusSeeOther,
		fasthttp.StatusTemporaryRedirect, fasthttp.StatusPermanentRedirect:
	default:
		status = fasthttp.StatusFound
	}
	loc := url
	if !hasScheme(url) && !strings.HasPrefix(url, "//") && !strings.HasPrefix(url, "/") {
		u := fasthttp.AcquireURI()
		u.SetPathBytes(c.URI().Path())
		u.Update(url)
		loc = string(u.RequestURI())
		fasthttp.ReleaseURI(u)
	}
	c.Response.Header.Set(fasthttp.HeaderLocation, loc)
	c.SetStatusCode(status)
	return nil
}

// hasScheme says whether ref starts with a URI scheme (RFC 3986 section
// 3.1: a letter, then letters, digits, '+', '-' or '.', then ':').
func hasScheme(ref string) bool {
	for i := 0; i < len(ref); i++ {
		b := ref[i]
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z':
		case i > 0 && ('0' <= b && b <= '9' || b == '+' || b == '-' || b == '.'):
		case i > 0 && b == ':':
			return true
		default:
			return false
		}
	}
	return false
}
