package kk

import (
	"bytes"
	"errors"
	"strconv"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/internal/edge"
)

// The HTTP edge: checks kk makes on every request before routing, where
// fasthttp's parser is more lenient than RFC 9112 asks of a server that
// faces the internet. The checks themselves are internal/edge's; this file
// installs them in front of the router and answers what they refuse.

// Limits the edge enforces beyond fasthttp's own.
const (
	// MaxHeaderFields is the most header fields a request may carry,
	// 100; past it the answer is 431. Browsers send about 20.
	MaxHeaderFields = edge.MaxHeaderFields

	// MaxRequestURISize bounds the request target, at 8 KiB: a longer
	// one is 414.
	// (A request line longer than the whole header budget is 431, as
	// fasthttp cannot read it at all.)
	MaxRequestURISize = edge.MaxRequestURISize

	// MaxMethodSize bounds the method token, at 32 bytes. The longest
	// registered method (RFC 9110's registry) has 17 bytes; a longer
	// token is 501 with the connection closed, as a request line past its
	// limit.
	MaxMethodSize = edge.MaxMethodSize
)

// harden installs the edge on a server: the request checks around its
// handler (whatever it is by then, so harden goes last). The server must
// then serve an edge.Listener. (Expect: 100-continue is answered by the
// router's body stage, bodylimit.go, which knows each route's limit.)
//
// A request whose framing is unsound is answered here, and its connection
// closed. One whose framing is sound but whose path has a malformed
// escape goes on through the server's handler like any other, carrying
// the refusal (edgeErrorKey): the router answers it with the server's
// trusted proxies, limits and shutdown known to its middleware
// (Router.serveOn).
func harden(s *fasthttp.Server) *fasthttp.Server {
	next := s.Handler
	s.Handler = func(rc *fasthttp.RequestCtx) {
		if err := edge.CheckRequest(rc); err != nil {
			rejectRequest(rc, err)
			return
		}
		if err := edge.CheckPathEscapes(rc); err != nil {
			rc.SetUserValue(edgeErrorKey{}, err)
		}
		next(rc)
	}
	return s
}

// edgeErrorKey is the user value under which harden hands the router the
// error of a request it refuses after routing (edgeError).
type edgeErrorKey struct{}

// edgeError is the refusal harden left for c's request, or nil. When the
// request matched a route, an escape inside a path parameter becomes a
// ParamError naming that parameter, answered like any other undecodable
// parameter.
func edgeError(c *Ctx) error {
	err, _ := c.UserValue(edgeErrorKey{}).(error)
	if err == nil || c.route == nil {
		return err
	}
	var be *edge.BadEscape
	if errors.As(err, &be) {
		return escapeInParam(be, c, c.path)
	}
	return err
}

// rejectRequest answers err as a problem and closes the connection.
func rejectRequest(rc *fasthttp.RequestCtx, err error) {
	status := fasthttp.StatusBadRequest
	var sc StatusCoder
	if errors.As(err, &sc) {
		status = sc.StatusCode()
	}
	writeRawProblem(rc, status, err)
	rc.SetConnectionClose()
}

// escapeInParam is e as the ParamError of the matched route's parameter that
// covers the escape's segment, or e itself when none does (the escape is
// in a static segment) or when the decoded path's segments no longer line
// up with the raw ones (an escaped '/', a dot segment).
func escapeInParam(e *edge.BadEscape, c *Ctx, path []byte) error {
	seg, text := e.Segment()
	if bytes.Count(path, []byte{'/'}) != bytes.Count(e.Raw(), []byte{'/'}) {
		return e
	}
	for j, name := range c.route.Params {
		v := c.params[j]
		off := cap(path) - cap(v) // v is a view into path
		if off < 0 || off > len(path) {
			continue
		}
		first := bytes.Count(path[:off], []byte{'/'}) - 1
		last := first + bytes.Count(v, []byte{'/'})
		if first <= seg && seg <= last {
			return &ParamError{In: InPath, Name: name, Value: string(text), Type: "percent-encoded path segment",
				Err: errors.New("malformed escape " + strconv.Quote(e.Escape()))}
		}
	}
	return e
}
