// Package statuses covers declared success statuses (//kk:route ... 201,
// 202, 204) with every result shape, kk.Response[T] with text, bytes,
// JSON, stream and empty bodies, headers and cookies set through *kk.Ctx,
// and redirects.
package statuses

import (
	"errors"
	"io"
	"strings"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
)

type Thing struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

var ErrTaken = kk.Error(409, "name taken")

//kk:route POST /things 201
func Create(c *kk.Ctx, name string) (Thing, error) {
	if name == "taken" {
		return Thing{}, ErrTaken
	}
	c.Response.Header.Set("Location", "/things/1")
	return Thing{ID: 1, Name: name}, nil
}

//kk:route POST /jobs 202
func Enqueue() string { return "queued" }

//kk:route POST /marks 201
func Mark() {}

//kk:route DELETE /things/:id 204
func Delete(id int) error {
	if id == 0 {
		return errors.New("boom")
	}
	if id < 0 {
		return kk.Error(404, "no such thing")
	}
	return nil
}

// A handler that writes nothing and returns no value answers 204 anyway.
//
//kk:route PUT /flags/:name
func SetFlag(name string) error { return nil }

// Writing a body keeps the 200.
//
//kk:route PUT /notes
func Note(c *kk.Ctx) {
	c.SetBodyString("noted")
}

//kk:route GET /resp/text
func RespText(code int) kk.Response[string] {
	return kk.Response[string]{Status: code, Header: map[string]string{"X-Kind": "text"}, Body: "plain"}
}

//kk:route GET /resp/bytes
func RespBytes() (kk.Response[[]byte], error) {
	return kk.Response[[]byte]{Header: map[string]string{"Content-Type": "image/gif"}, Body: []byte("GIF89a")}, nil
}

//kk:route GET /resp/json
func RespJSON(fail bool) (kk.Response[Thing], error) {
	if fail {
		return kk.Response[Thing]{Status: 201, Header: map[string]string{"X-Lost": "yes"}}, kk.Error(418, "teapot")
	}
	return kk.Response[Thing]{Status: 203, Header: map[string]string{"X-A": "1", "X-B": "2"}, Body: Thing{ID: 2, Name: "two"}}, nil
}

//kk:route GET /resp/empty
func RespEmpty() kk.Response[Thing] {
	return kk.Response[Thing]{Status: 204, Header: map[string]string{"X-Deleted": "2"}, Body: Thing{ID: 2}}
}

//kk:route GET /resp/stream
func RespStream() kk.Response[io.Reader] {
	return kk.Response[io.Reader]{Status: 206, Body: strings.NewReader(strings.Repeat("ab", 3))}
}

// A declared status is the default that a Response's own Status replaces.
//
//kk:route POST /resp/declared 201
func RespDeclared(override bool) kk.Response[string] {
	if override {
		return kk.Response[string]{Status: 200, Body: "overridden"}
	}
	return kk.Response[string]{Body: "declared"}
}

//kk:route GET /cookie
func Cookie(c *kk.Ctx) string {
	var ck fasthttp.Cookie
	ck.SetKey("session")
	ck.SetValue("abc")
	ck.SetHTTPOnly(true)
	c.Response.Header.SetCookie(&ck)
	c.Response.Header.Set("Cache-Control", "no-store")
	c.Response.Header.SetContentType("text/html; charset=utf-8")
	return "<b>hi</b>"
}

//kk:route GET /moved
func Moved(c *kk.Ctx, to string) error {
	if to == "" {
		to = "/things"
	}
	return kk.Redirect(c, to, 308)
}

//kk:route GET /stream
func Stream(n int) io.Reader { return strings.NewReader(strings.Repeat("x", n)) }
