package kk

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/valyala/fasthttp"
)

// On kk's own servers (Server, Run, Serve, NewServer), which keep hijacked
// connections, a WebSocket is detached from fasthttp once upgraded: the
// library gets the socket itself, and fasthttp takes back, at once, the
// request context and the read buffer (MaxHeaderSize, 16 KiB by default)
// that it would otherwise keep for the connection's whole life. A plain
// fasthttp.Server closes a hijacked connection when its hijack handler
// returns, so there UpgradeWebSocket keeps fasthttp's hijack goroutine for
// the connection's life instead (wsupgrade.go).

// upgradeDetached upgrades c on a server that keeps hijacked connections.
// start gets the connection, or the handshake's error.
func upgradeDetached(c *Ctx, cfg *WebSocketConfig, start func(*websocket.Conn, error)) error {
	req := &http.Request{Method: http.MethodGet, Header: http.Header{}, Host: string(c.Host())}
	for k, v := range c.Request.Header.All() {
		req.Header.Add(string(k), string(v))
	}
	resp := http.Header{} // what middleware set (X-Request-ID, cookies) goes with the 101
	for k, v := range c.Response.Header.All() {
		switch string(k) {
		case fasthttp.HeaderContentType, fasthttp.HeaderContentLength, fasthttp.HeaderServer, fasthttp.HeaderDate,
			fasthttp.HeaderConnection, fasthttp.HeaderTransferEncoding, "Upgrade", "Sec-Websocket-Version":
			continue
		}
		resp.Add(string(k), string(v))
	}
	for _, v := range c.Response.Header.Cookies() {
		resp.Add("Set-Cookie", string(v))
	}
	up := websocket.Upgrader{
		ReadBufferSize:    128, // frame headers; reads of message data go straight to the socket
		WriteBufferPool:   &writeBuffers,
		EnableCompression: cfg.Compression,
		CheckOrigin:       func(*http.Request) bool { return true }, // CheckWebSocket did, on this request
	}
	c.SetStatusCode(fasthttp.StatusSwitchingProtocols) // for access logs: the library writes the answer
	c.HijackSetNoResponse(true)
	c.Hijack(func(hjc net.Conn) {
		raw := socketOf(hjc)
		w := &detachedWriter{conn: raw, early: buffered(hjc, raw), header: http.Header{}}
		conn, err := up.Upgrade(w, req, resp)
		if err != nil {
			_ = raw.Close()
			start(nil, err)
			return
		}
		start(conn, nil)
	})
	return nil
}

// buffered takes what fasthttp's reader already holds beyond the request
// (a client that sent frames before the 101), so that reader can go: a
// read past its deadline returns what is buffered and then fails without
// touching the socket, which keeps anything newer.
func buffered(hjc, raw net.Conn) []byte {
	_ = raw.SetReadDeadline(time.Now())
	defer raw.SetReadDeadline(time.Time{})
	var early []byte
	buf := make([]byte, 512)
	for {
		n, err := hjc.Read(buf)
		early = append(early, buf[:n]...)
		if err != nil || n == 0 {
			return early
		}
	}
}

// detachedWriter is the http.ResponseWriter the library's net/http
// upgrader hijacks: the socket, with the early bytes read first.
type detachedWriter struct {
	conn   net.Conn
	early  []byte
	header http.Header
}

func (w *detachedWriter) Header() http.Header         { return w.header }
func (w *detachedWriter) Write(b []byte) (int, error) { return len(b), nil } // only error pages; dropped
func (w *detachedWriter) WriteHeader(int)             {}

func (w *detachedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn := w.conn
	if len(w.early) > 0 {
		conn = &earlyConn{Conn: w.conn, r: io.MultiReader(bytes.NewReader(w.early), w.conn)}
	}
	// Empty and small: the library reads the socket through a buffer of its
	// own and writes the 101 into this writer's spare buffer.
	return conn, bufio.NewReadWriter(bufio.NewReaderSize(bytes.NewReader(nil), 16), bufio.NewWriterSize(io.Discard, 512)), nil
}

// earlyConn reads bytes that arrived before the upgrade, then the socket.
type earlyConn struct {
	net.Conn
	r io.Reader
}

func (c *earlyConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// socketOf is the connection under fasthttp's hijacked conn, whose Close
// does nothing (fasthttp closes it, or with KeepHijackedConns leaves that
// to whoever hijacked), or c itself when it is not one.
func socketOf(c net.Conn) net.Conn {
	if u, ok := c.(interface{ UnsafeConn() net.Conn }); ok {
		return u.UnsafeConn()
	}
	return c
}
