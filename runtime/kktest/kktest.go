// Package kktest tests kk routers, two ways.
//
// NewServer serves a router through the real server code (kk.Run, with
// fasthttp's parsing, the server's limits, upgrades and shutdown) on an
// in-memory listener, for a net/http client or a raw connection: what a
// test of the whole service wants. NewTCPServer does the same on a
// loopback socket, for clients that dial addresses themselves.
//
// Serve, Do and NewRequest call the router's handler directly on a
// request built in memory, with no connection and no parsing: the
// cheapest way to test routing, binding and handlers.
package kktest

import (
	"net"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
)

var remote = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}

// NewRequest builds a request for method and target ("/users/1?x=y"),
// with body if non-nil.
func NewRequest(method, target string, body []byte) *fasthttp.Request {
	req := new(fasthttp.Request)
	req.Header.SetMethod(method)
	req.SetRequestURI(target)
	req.Header.SetHost("kktest")
	if body != nil {
		req.SetBody(body)
	}
	return req
}

// Serve runs r on req and returns the response. As the fasthttp server
// does, it sends no body for HEAD requests and 204 and 304 answers.
func Serve(r *kk.Router, req *fasthttp.Request) *fasthttp.Response {
	var rc fasthttp.RequestCtx
	rc.Init(req, remote, nil)
	r.Handler()(&rc)
	rc.Response.Body() // reads a streamed body in, as the server would send it
	resp := new(fasthttp.Response)
	rc.Response.CopyTo(resp)
	if st := resp.StatusCode(); rc.IsHead() || st == fasthttp.StatusNoContent || st == fasthttp.StatusNotModified {
		n := len(resp.Body())
		resp.ResetBody()
		resp.SkipBody = true
		if rc.IsHead() {
			resp.Header.SetContentLength(n) // the length the GET would have had
		}
	}
	return resp
}

// Do serves a request without a body.
func Do(r *kk.Router, method, target string) *fasthttp.Response {
	return Serve(r, NewRequest(method, target, nil))
}
