package kk

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime/debug"
	"time"

	"github.com/valyala/fasthttp"
)

// This file is called only by generated code: the wrapper of an
// event-stream route binds the handler's other parameters, then hands the
// call to ServeEventStream.

// ServeEventStream answers the request with an event stream and runs fn on
// it once the response headers are out. Generated wrappers of routes whose
// handler takes a *kk.EventStream call it after binding the other
// parameters.
//
// The connection is hijacked from fasthttp: the handler then runs on its
// own goroutine, the server's write timeout no longer applies (each write
// has its own deadline instead, the server's WriteTimeout), and a reader
// goroutine notices a client that leaves even while the handler is idle.
// The context fn sees is cancelled then, when the server shuts down, and
// when fn returns. Headers the middleware set (request IDs, CORS) are
// kept; the answer is never compressed and has no Content-Length: chunked
// on HTTP/1.1, ended by closing the connection on HTTP/1.0.
func ServeEventStream(c *Ctx, fn func(es *EventStream) error) error {
	h := &c.Response.Header
	c.SetStatusCode(fasthttp.StatusOK)
	h.SetContentType("text/event-stream")
	h.Set(fasthttp.HeaderCacheControl, "no-cache")
	h.Del(fasthttp.HeaderContentEncoding)
	h.SetConnectionClose()
	if c.IsHead() {
		return nil // the headers a GET would have, and no stream
	}
	chunked := c.Request.Header.IsHTTP11()
	if chunked {
		h.SetContentLength(-1) // Transfer-Encoding: chunked
	} else {
		h.SetContentLength(-2) // no framing: the body ends with the connection
	}
	head := append([]byte(nil), h.Header()...)

	r := c.router
	es := &EventStream{
		lastID:   string(c.Request.Header.Peek("Last-Event-ID")),
		chunked:  chunked,
		timeout:  DefaultWriteTimeout,
		router:   r,
		routeTag: string(c.Method()) + " " + c.routePattern(),
	}
	if srv := serverOf(c.RequestCtx); srv != nil && srv.WriteTimeout > 0 {
		es.timeout = srv.WriteTimeout
	}
	es.ctx, es.cancel = context.WithCancel(detachedContext(c)) // wsupgrade.go
	shutdown := c.shutdown()
	st := c.srv         // the Ctx is reused before the hijack handler runs
	detach := st != nil // kk's Server keeps hijacked connections; a plain fasthttp.Server closes them

	c.HijackSetNoResponse(true)
	c.Hijack(func(hjc net.Conn) {
		done := st.track(es.cancel) // live.go: a kk Server's shutdown cancels the stream and waits for it
		unwatch := watchDone(shutdown, es.cancel)
		if !detach {
			// A plain fasthttp server closes the connection when this
			// returns: the stream runs here.
			defer done()
			defer unwatch()
			es.serve(hjc, head, fn)
			return
		}
		// kk's servers keep hijacked connections: the stream gets the
		// socket and runs on a goroutine of its own, and fasthttp takes its
		// request context and read buffer back at once (as wsdetach.go
		// does for WebSockets). A client sends nothing on an event stream,
		// so what the reader holds beyond the request is dropped.
		raw := socketOf(hjc)
		_ = buffered(hjc, raw)
		go func() {
			defer done()
			defer unwatch()
			es.serve(raw, head, fn)
			_ = raw.Close()
		}()
	})
	return nil
}

// serve writes the headers, then runs fn with a heartbeat and a reader
// watching for the client to leave, then ends the response.
func (es *EventStream) serve(conn net.Conn, head []byte, fn func(es *EventStream) error) {
	var err error
	defer func() { endSession(es.ctx, err) }() // session.go
	defer es.cancel()
	es.conn = conn
	_ = conn.SetWriteDeadline(time.Now().Add(es.timeout))
	if _, err = conn.Write(head); err != nil {
		return
	}
	es.beat = time.AfterFunc(heartbeat, es.beatNow)
	read := make(chan struct{})
	go es.watch(read)
	err = es.run(fn)
	es.finish()
	// Wake the reader and wait for it: on a plain fasthttp server the
	// connection's read buffer is reused once the hijack handler returns.
	_ = conn.SetReadDeadline(time.Unix(1, 0))
	<-read
	if err != nil && !errors.Is(err, ErrStreamClosed) && !errors.Is(err, context.Canceled) && !errors.Is(err, errPanicked) {
		es.router.log().Error("kk: event stream handler error", "route", es.routeTag, "err", err)
	}
}

// run calls fn, turning a panic into a logged error: the handler runs on
// the hijacked connection's goroutine, where a panic would end the process.
func (es *EventStream) run(fn func(es *EventStream) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			es.router.log().Error("kk: event stream handler panic", "route", es.routeTag,
				"panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("%w: %v", errPanicked, p)
		}
	}()
	return fn(es)
}

var errPanicked = errors.New("kk: event stream handler panic") // logged where it happened

// watch reads the connection until it fails: the client closed it, reset
// it, or finish woke the read. A client sends nothing on an event stream,
// so anything it does send is dropped.
func (es *EventStream) watch(read chan<- struct{}) {
	defer close(read)
	var b [128]byte
	for {
		if _, err := es.conn.Read(b[:]); err != nil {
			es.depart()
			return
		}
	}
}
