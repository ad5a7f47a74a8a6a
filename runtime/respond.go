package kk

import (
	"bytes"
	"encoding/json"
	"sync"

	"github.com/valyala/fasthttp"
)

// Text writes a string result as text/plain; charset=utf-8.
func Text(c *Ctx, s string) error {
	c.SetContentType("text/plain; charset=utf-8")
	c.SetBodyString(s)
	return nil
}

// Bytes writes a []byte result as application/octet-stream.
func Bytes(c *Ctx, b []byte) error {
	c.SetContentType("application/octet-stream")
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

// JSON writes any other result as application/json, encoded like
// encoding/json.Marshal. An encoding failure is returned, and answers 500.
func JSON(c *Ctx, v any) error {
	e := jsonPool.Get().(*jsonEncoder)
	defer jsonPool.Put(e)
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return err
	}
	b := e.buf.Bytes()
	c.SetContentType("application/json")
	c.SetBody(b[:len(b)-1]) // Encode ends with a newline Marshal does not write
	return nil
}

// NoContent finishes a handler that returns no value: if it wrote no body
// and left the status at 200, the answer is 204 No Content.
func NoContent(c *Ctx) error {
	if c.Response.StatusCode() == fasthttp.StatusOK && len(c.Response.Body()) == 0 && !c.Response.IsBodyStream() {
		c.SetStatusCode(fasthttp.StatusNoContent)
	}
	return nil
}
