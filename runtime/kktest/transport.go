package kktest

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
)

// transport is the http.RoundTripper of Server.Client: HTTP/1.1 over
// connections to the in-memory listener, written with net/http's own
// Request.Write and read with http.ReadResponse, so the wire format is
// net/http's. It does what a test client needs and no more: keep-alive
// reuse, request bodies written while the answer is read, cancellation by
// the request's context, 1xx answers skipped, 101 upgrades handed over.
// It has none of http.Transport's proxies, TLS, HTTP/2 or transparent
// gzip (a test sees Content-Encoding as the server sent it). Being
// synchronous (no per-connection reader and writer goroutines), a round
// trip costs a fraction of http.Transport's; see BENCHMARKS.md.
type transport struct {
	dial func() (net.Conn, error)

	mu     sync.Mutex
	idle   []*conn
	closed bool
}

// conn is one client connection, idle or serving one request.
type conn struct {
	c  net.Conn
	br *bufio.Reader
	bw *bufio.Writer // Request.Write allocates one per call unless given one
}

// write writes req on the connection.
func (c *conn) write(req *http.Request) error {
	if err := req.Write(c.bw); err != nil {
		return err
	}
	return c.bw.Flush()
}

const maxIdle = 64

func (t *transport) get() (*conn, error) {
	t.mu.Lock()
	if n := len(t.idle); n > 0 {
		c := t.idle[n-1]
		t.idle = t.idle[:n-1]
		t.mu.Unlock()
		return c, nil
	}
	t.mu.Unlock()
	c, err := t.dial()
	if err != nil {
		return nil, err
	}
	return &conn{c: c, br: bufio.NewReader(c), bw: bufio.NewWriter(c)}, nil
}

func (t *transport) put(c *conn) {
	t.mu.Lock()
	if !t.closed && len(t.idle) < maxIdle {
		t.idle = append(t.idle, c)
		c = nil
	}
	t.mu.Unlock()
	if c != nil {
		c.c.Close()
	}
}

// CloseIdleConnections closes the idle connections; http.Client calls it.
func (t *transport) CloseIdleConnections() {
	t.mu.Lock()
	idle := t.idle
	t.idle = nil
	t.mu.Unlock()
	for _, c := range idle {
		c.c.Close()
	}
}

// close closes the idle connections and makes later ones close once used.
func (t *transport) close() {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	t.CloseIdleConnections()
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil || req.Header == nil {
		closeBody(req)
		return nil, errors.New("kktest: request without URL or Header")
	}
	if req.URL.Scheme != "http" {
		closeBody(req)
		return nil, errors.New("kktest: unsupported scheme " + req.URL.Scheme + " (the in-memory server speaks http)")
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		closeBody(req)
		return nil, err
	}
	c, err := t.get()
	if err != nil {
		closeBody(req)
		return nil, err
	}
	// Cancelling the request's context closes the connection, which
	// unblocks whatever is reading or writing it.
	stop := context.AfterFunc(ctx, func() { c.c.Close() })

	var wrote chan error // the body is written while the answer is read
	if req.Body == nil || req.Body == http.NoBody {
		if err := c.write(req); err != nil {
			stop()
			c.c.Close()
			return nil, ctxErr(ctx, err)
		}
	} else {
		wrote = make(chan error, 1)
		go func() { wrote <- c.write(req) }()
	}
	resp, err := http.ReadResponse(c.br, req)
	for err == nil && resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
		resp, err = http.ReadResponse(c.br, req) // 100 Continue, 103 Early Hints
	}
	if err != nil {
		stop()
		c.c.Close()
		if wrote != nil {
			<-wrote
		}
		return nil, ctxErr(ctx, err)
	}
	if resp.StatusCode == http.StatusSwitchingProtocols {
		stop()
		resp.Body = &upgraded{Reader: c.br, Conn: c.c}
		return resp, nil
	}
	b := &body{t: t, c: c, rc: resp.Body, stop: stop, wrote: wrote, reuse: !resp.Close && !req.Close}
	if resp.Body == http.NoBody {
		b.release(true)
		return resp, nil
	}
	resp.Body = b
	return resp, nil
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// ctxErr prefers the context's error to the closed connection it caused.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}

// body is a response body; its connection goes back to the pool once the
// body has been read to the end, and is closed if it is closed earlier.
type body struct {
	t     *transport
	c     *conn
	rc    io.ReadCloser
	stop  func() bool
	wrote chan error
	reuse bool

	mu   sync.Mutex
	done bool
}

func (b *body) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err == io.EOF {
		b.release(true)
	} else if err != nil {
		b.release(false)
	}
	return n, err
}

func (b *body) Close() error {
	b.release(false)
	return nil
}

// release gives the connection back (eof: the body was read whole and the
// connection may serve again) or closes it.
func (b *body) release(eof bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return
	}
	b.done = true
	cancelled := !b.stop()
	reuse := eof && b.reuse && !cancelled
	if b.wrote != nil {
		if !reuse {
			b.c.c.Close() // unblocks a writer the server stopped reading
		}
		if err := <-b.wrote; err != nil {
			reuse = false
		}
	}
	if !reuse {
		b.c.c.Close() // first: closing rc drains the body, which an event stream never ends
	}
	b.rc.Close()
	if reuse {
		b.t.put(b.c)
	}
}

// upgraded is the body of a 101 answer: the connection itself, to read
// and write the new protocol on, as net/http's transport hands it over.
type upgraded struct {
	io.Reader
	net.Conn
}

func (u *upgraded) Read(p []byte) (int, error) { return u.Reader.Read(p) }
