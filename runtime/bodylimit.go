package kk

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/internal/httpx"
)

// Request bodies and their limits.
//
// kk's Server streams request bodies: fasthttp calls
// the handler once the headers are in, with at most 8 KiB of the body read
// ahead, and leaves the rest on the connection. That is what lets one
// route accept more than the server's MaxBodySize (an upload route
// with //kk:bodylimit 1GiB) and an io.Reader parameter read the body as it
// arrives. In exchange the limits are kk's to enforce, here, before the
// route's middleware and handler run:
//
//   - a Content-Length over the route's limit (its //kk:bodylimit, else the
//     server's MaxBodySize) answers 413 before the body is read;
//   - a route whose handler takes an io.Reader gets the body as a stream
//     that fails with a *BodyTooLargeError (413) once the limit is passed;
//   - every other route has its body read in whole, up to the limit, so
//     PostBody, JSON, forms and []byte bodies work as on a buffering server.
//
// A fasthttp.Server that does not stream bodies has read them already,
// within its own MaxRequestBodySize; the route's limit can then only be
// smaller, and is checked against the length read.

// BodyTooLargeError is the error a request body over its route's limit
// answers with: 413 Request Entity Too Large. A streamed body's reader
// returns it once the limit is passed; return it from the handler (wrapped
// or not) and the answer is 413.
type BodyTooLargeError struct {
	Limit int64 // the route's limit in bytes
}

func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("request body is larger than this route's limit of %s", formatSize(e.Limit))
}

func (e *BodyTooLargeError) StatusCode() int { return fasthttp.StatusRequestEntityTooLarge }

// Is makes errors.Is(err, fasthttp.ErrBodyTooLarge) true, as it is for the
// limit fasthttp enforces itself.
func (e *BodyTooLargeError) Is(target error) bool { return target == fasthttp.ErrBodyTooLarge }

// formatSize writes n bytes in the largest binary unit that divides it.
func formatSize(n int64) string {
	for _, u := range []struct {
		shift uint
		name  string
	}{{30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d %s", n>>u.shift, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// serverKey is the RequestCtx user value under which streamBodies leaves
// the *fasthttp.Server serving the request, so the body stage and event
// streams know its limits and timeouts.
type serverKey struct{}

// streamBodies makes s stream request bodies, with its handler (the
// router's, perhaps behind server limits) telling each request the server
// it runs on, and an ExpectHandler that turns away an
// "Expect: 100-continue" body over its route's limit with 413 before the
// client sends it.
func (r *Router) streamBodies(s *fasthttp.Server) {
	s.StreamRequestBody = true
	h := s.Handler
	s.Handler = func(rc *fasthttp.RequestCtx) {
		rc.SetUserValue(serverKey{}, s)
		h(rc)
	}
	s.ExpectHandler = r.expectBody(s)
	s.HeaderReceived = r.refuseEarly(s)
}

// expectBody answers "Expect: 100-continue": 100 unless the announced
// Content-Length is over the limit of the route it is for.
func (r *Router) expectBody(s *fasthttp.Server) func(rc *fasthttp.RequestCtx) int {
	return func(rc *fasthttp.RequestCtx) int {
		limit := r.limitFor(s, rc.Method(), rc.URI().PathOriginal())
		if cl := rc.Request.Header.ContentLength(); cl <= 0 || int64(cl) <= limit {
			return fasthttp.StatusContinue
		}
		writeProblem(rc, fasthttp.StatusRequestEntityTooLarge, &BodyTooLargeError{Limit: limit})
		return fasthttp.StatusRequestEntityTooLarge
	}
}

// refuseEarly runs once a request's header is in, before fasthttp reads
// any of its body. A streaming server still reads up to 8 KiB of the body
// before it calls the handler, so a request announcing a Content-Length
// over its route's limit but sending nothing yet would wait there for
// bytes the server means to refuse. Such a request is marked
// "Expect: 100-continue", which makes fasthttp leave the body unread and
// ask expectBody, which answers 413 and closes the connection; no 100 is
// ever sent for it. (An HTTP/1.0 request cannot carry Expect: fasthttp
// reads its first 8 KiB as usual, and the body stage answers 413.)
func (r *Router) refuseEarly(s *fasthttp.Server) func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	return func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		r.once.Do(r.compile) // minBodyLimit
		// A length within every limit (the common case) needs no routing.
		if cl := int64(h.ContentLength()); cl > min(r.minBodyLimit, bodyLimit(&Route{}, s)) && h.IsHTTP11() &&
			cl > r.limitFor(s, h.Method(), httpx.RawPath(h.RequestURI())) {
			h.Set(fasthttp.HeaderExpect, "100-continue")
		}
		return fasthttp.RequestConfig{}
	}
}

// limitFor is the body limit of the route method and the path as sent
// (raw) reach on s: the route's own, else the server's.
func (r *Router) limitFor(s *fasthttp.Server, method, raw []byte) int64 {
	r.once.Do(r.compile)
	var buf []byte
	if path, err := routePath(raw, &buf); err == nil {
		var ps Params
		if i := r.match(b2s(method), path, &ps); i >= 0 {
			return bodyLimit(&r.table.Routes[i], s)
		}
	}
	return bodyLimit(&Route{}, s)
}

// serverOf is the server streamBodies set for the request, or nil (a
// plain fasthttp.Server).
func serverOf(rc *fasthttp.RequestCtx) *fasthttp.Server {
	s, _ := rc.UserValue(serverKey{}).(*fasthttp.Server)
	return s
}

// bodyLimit is the limit that applies to rt's request body.
func bodyLimit(rt *Route, s *fasthttp.Server) int64 {
	switch {
	case rt.BodyLimit > 0:
		return rt.BodyLimit
	case s != nil && s.MaxRequestBodySize > 0:
		return int64(s.MaxRequestBodySize)
	}
	return fasthttp.DefaultMaxRequestBodySize
}

// bodyStage wraps rt's handler (and its route middleware) in the body
// checks above. The router's own middleware runs outside it, so access
// logs and CORS headers see its 413s.
func bodyStage(rt *Route) Handler {
	next := rt.Handler
	return func(c *Ctx) error {
		if err := admitBody(c, rt); err != nil {
			return err
		}
		return next(c)
	}
}

func admitBody(c *Ctx, rt *Route) error {
	srv := serverOf(c.RequestCtx)
	limit := bodyLimit(rt, srv)
	cl := c.Request.Header.ContentLength() // -1: chunked; -2: none given
	if cl > 0 && int64(cl) > limit {
		c.SetConnectionClose() // the client may never send the body, or send all of it
		return &BodyTooLargeError{Limit: limit}
	}
	stream := c.RequestBodyStream()
	if stream == nil {
		// Read by a buffering server within its own limit, or no body at all.
		if cl == -1 && !isMultipart(c) && int64(len(c.Request.Body())) > limit {
			return &BodyTooLargeError{Limit: limit}
		}
		return nil
	}
	body := &limitedBody{r: stream, left: limit, limit: limit, rc: c.RequestCtx}
	if srv != nil {
		body.timeout = srv.ReadTimeout
	}
	if rt.StreamBody {
		c.Request.SetBodyStream(body, cl)
		return nil
	}
	if cl == 0 {
		return nil
	}
	if isMultipart(c) {
		// Parsed straight from the connection, large files into temporary
		// files, as fasthttp does when it reads multipart bodies itself.
		c.Request.SetBodyStream(body, cl)
		if _, err := c.Request.MultipartFormWithLimit(int(min(limit, int64(maxInt)))); err != nil {
			return bodyReadError(err)
		}
		return nil
	}
	// Read the body into the request's own buffer. ResetBody hands the
	// buffer the read-ahead bytes live in to the stream, which the server
	// drains after the handler; AppendBody then fills a fresh one.
	c.Request.ResetBody()
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	for {
		n, err := body.Read(*buf)
		if n > 0 {
			c.Request.AppendBody((*buf)[:n])
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			c.Request.ResetBody()
			return bodyReadError(err)
		}
	}
}

const maxInt = int64(^uint(0) >> 1)

// bodyReadError is what a failure to read the body answers: 413 past the
// limit, 408 for a read timeout, else 400.
func bodyReadError(err error) error {
	var tl *BodyTooLargeError
	switch {
	case errors.As(err, &tl):
		return tl
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		return Errorf(fasthttp.StatusRequestEntityTooLarge, "request body too large: %v", err)
	case isTimeout(err):
		return Errorf(fasthttp.StatusRequestTimeout, "reading the request body: %v", err)
	}
	return Errorf(fasthttp.StatusBadRequest, "reading the request body: %v", err)
}

// copyBufs are the buffers bodies are read and written through: large
// enough that a gigabyte costs thousands of system calls, not millions.
var copyBufs = sync.Pool{New: func() any {
	b := make([]byte, 64<<10)
	return &b
}}

// limitedBody is a request body read from the connection, at most left
// more bytes of it. Past the limit it fails with a *BodyTooLargeError.
// While data keeps arriving it pushes the connection's read deadline
// forward, so the server's ReadTimeout bounds a stall, not the whole
// upload of a large body.
type limitedBody struct {
	r       io.Reader
	left    int64
	limit   int64
	rc      *fasthttp.RequestCtx
	timeout time.Duration // the server's ReadTimeout, or 0
	armed   time.Time     // when the deadline was last pushed
	err     error         // sticky: the first error other than io.EOF
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.left <= 0 {
		// At the limit: fine if the body ends here, too large if not.
		var one [1]byte
		for {
			n, err := b.r.Read(one[:])
			if n > 0 {
				b.rc.SetConnectionClose() // the rest of the body is not worth reading
				b.err = &BodyTooLargeError{Limit: b.limit}
				return 0, b.err
			}
			if err != nil {
				return 0, b.fail(err)
			}
		}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if n > 0 && b.timeout > 0 {
		b.rearm()
	}
	return n, b.fail(err)
}

func (b *limitedBody) fail(err error) error {
	if err != nil && err != io.EOF {
		b.err = err
	}
	return err
}

// WriteTo copies the body to w through a large pooled buffer; io.Copy
// uses it, so copying an upload takes few, large reads.
func (b *limitedBody) WriteTo(w io.Writer) (int64, error) {
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	var total int64
	for {
		n, err := b.Read(*buf)
		if n > 0 {
			m, werr := w.Write((*buf)[:n])
			total += int64(m)
			if werr != nil {
				return total, werr
			}
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

func (b *limitedBody) rearm() {
	now := time.Now()
	if now.Sub(b.armed) < b.timeout/4 {
		return
	}
	b.armed = now
	_ = b.rc.SetReadDeadline(now.Add(b.timeout))
}
