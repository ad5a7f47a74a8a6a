package kk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kommandkit/kk/runtime/internal/wsconn"
)

// MessageKind is the kind of a WebSocket data message.
type MessageKind int

// The two kinds of data message. Their values are the RFC 6455 opcodes.
const (
	TextMessage   MessageKind = MessageKind(wsconn.OpText)
	BinaryMessage MessageKind = MessageKind(wsconn.OpBinary)
)

func (k MessageKind) String() string {
	switch k {
	case TextMessage:
		return "text"
	case BinaryMessage:
		return "binary"
	}
	return "MessageKind(" + strconv.Itoa(int(k)) + ")"
}

// CloseError is how a WebSocket connection ended when it did not end with
// 1000 (normal closure) or 1001 (going away), which read as io.EOF. Code
// 1006 means no close frame came at all: the peer vanished, went silent for
// two ping intervals, or a write to it failed.
//
// A handler returning a *CloseError closes its connection with that code and
// reason.
type CloseError struct {
	Code   int
	Reason string
}

func (e *CloseError) Error() string {
	if e.Reason == "" {
		return "websocket closed with " + strconv.Itoa(e.Code)
	}
	return "websocket closed with " + strconv.Itoa(e.Code) + ": " + e.Reason
}

// Close codes kk sends itself (RFC 6455 section 7.4.1).
const (
	closeNormal     = wsconn.CodeNormal    // 1000: the handler returned nil
	closeGoingAway  = wsconn.CodeGoingAway // 1001: the server is shutting down
	closeAbnormal   = wsconn.CodeAbnormal  // 1006: never sent; no close frame came
	closeInternal   = wsconn.CodeInternal  // 1011: the handler returned an error
	closeTimeout    = 2 * time.Second      // how long a close waits for the peer's reply
	inboundCapacity = 4                    // messages the reader may run ahead of ReadMessage
)

// WebSocketConfig configures a router's WebSocket routes, and the
// connections DialWebSocket makes (with the defaults). Zero fields take
// the defaults.
type WebSocketConfig struct {
	// AllowedOrigins lists the origins, besides the server's own, whose
	// pages may open a WebSocket: "https://app.example.com" (scheme, host
	// and port as the browser sends them in Origin) or a bare host
	// "app.example.com" (any scheme). "*" allows every origin. The default
	// allows a handshake with no Origin header or one whose host is the
	// request's Host; anything else is answered 403.
	AllowedOrigins []string

	// ReadLimit is the largest message accepted, in bytes after
	// decompression (default 64 KiB). A larger one closes the connection
	// with 1009.
	ReadLimit int64

	// PingInterval is how often a ping is sent (default 30 s). A peer from
	// which nothing at all (no message, pong or ping) has arrived for two
	// intervals is dropped.
	PingInterval time.Duration

	// WriteTimeout bounds every write (default 10 s). A write that does not
	// finish in time fails, and the connection is dropped.
	WriteTimeout time.Duration

	// Compression negotiates permessage-deflate (RFC 7692, no context
	// takeover) with clients that offer it. Default off.
	Compression bool
}

// Defaults of WebSocketConfig.
const (
	DefaultWebSocketReadLimit    = 64 << 10
	DefaultWebSocketPingInterval = 30 * time.Second
	DefaultWebSocketWriteTimeout = 10 * time.Second
)

func (cfg WebSocketConfig) resolved() WebSocketConfig {
	if cfg.ReadLimit <= 0 {
		cfg.ReadLimit = DefaultWebSocketReadLimit
	}
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = DefaultWebSocketPingInterval
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = DefaultWebSocketWriteTimeout
	}
	return cfg
}

// SetWebSocketConfig configures the router's WebSocket routes. It applies
// to connections upgraded after the call.
func (r *Router) SetWebSocketConfig(cfg WebSocketConfig) {
	c := cfg.resolved()
	c.AllowedOrigins = append([]string(nil), cfg.AllowedOrigins...)
	r.wsConfig.Store(&c)
}

func (r *Router) webSocketConfig() *WebSocketConfig {
	if c := r.wsConfig.Load(); c != nil {
		return c
	}
	return &defaultWebSocketConfig
}

var defaultWebSocketConfig = WebSocketConfig{}.resolved()

// WebSocket is one WebSocket connection, server or client side. Reads are
// for one goroutine at a time (the handler's); writes and Close are safe
// from several goroutines at once.
//
// A reader goroutine owns the socket's reads, so pings are answered, a
// close frame or a vanished peer is noticed and Context is cancelled even
// while nobody calls ReadMessage; it runs at most a few messages ahead of
// ReadMessage, then waits for it.
type WebSocket struct {
	conn   *wsconn.Conn
	raw    net.Conn // what abort closes: the socket itself
	cfg    *WebSocketConfig
	ctx    context.Context
	cancel context.CancelFunc

	in      chan inbound  // from the reader; closed when it ends
	readErr error         // why the reader ended; set before in is closed
	readEnd chan struct{} // closed when the reader has returned

	// live guards every write: once the handler has returned, fasthttp
	// may recycle the hijacked connection, so finish takes it exclusively
	// and marks the socket gone; later writes fail instead.
	live   sync.RWMutex
	gone   bool
	remote net.Addr

	// closeOut is closed once the close frame that sentClose records is
	// written (or known never to be: a dropped peer); closeOK says whether
	// the write succeeded. Whoever sets sentClose closes it.
	closeOut chan struct{}
	closeOK  bool

	mu         sync.Mutex // guards the fields below
	sentClose  *CloseError
	closeTimer *time.Timer // aborts the socket if the peer does not answer our close
	aborted    bool
	closed     bool // torn down: hubs may not take it any more
	client     bool // dialled: torn down when the reader ends
	hubs       map[*Hub]struct{}

	heard   atomic.Int64 // unix nanos when a frame last arrived
	parked  atomic.Bool  // the reader waits on ReadMessage, so silence proves nothing
	pinger  *time.Timer
	pingAt  int64 // next ping due (unix nanos); only the pinger touches it
	outq    outQueue
	teardon sync.Once
}

type inbound struct {
	kind MessageKind
	data []byte
}

// ReadMessage waits for the next data message. The slice is the caller's
// to keep. After the connection closed with 1000 or 1001 it returns
// io.EOF; after any other close, a *CloseError.
func (ws *WebSocket) ReadMessage() (MessageKind, []byte, error) {
	m, ok := <-ws.in
	if !ok {
		return 0, nil, ws.readErr
	}
	return m.kind, m.data, nil
}

// ReadText reads the next message as a string, whatever its kind.
func (ws *WebSocket) ReadText() (string, error) {
	_, b, err := ws.ReadMessage()
	return string(b), err
}

// ReadJSON reads the next message and decodes it as JSON into v.
func (ws *WebSocket) ReadJSON(v any) error {
	_, b, err := ws.ReadMessage()
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// WriteMessage sends one message, waiting at most the write timeout. A
// failed write drops the connection. A text message must be valid UTF-8
// (RFC 6455 section 5.6): one that is not is refused, and nothing is sent.
func (ws *WebSocket) WriteMessage(kind MessageKind, data []byte) error {
	if kind != TextMessage && kind != BinaryMessage {
		return errors.New("kk: WriteMessage: kind must be kk.TextMessage or kk.BinaryMessage")
	}
	ws.live.RLock()
	defer ws.live.RUnlock()
	if ws.gone || ws.closing() {
		return net.ErrClosed
	}
	err := ws.conn.WriteMessage(wsconn.OpCode(kind), data, time.Now().Add(ws.cfg.WriteTimeout))
	if errors.Is(err, wsconn.ErrInvalidText) {
		return errors.New("kk: WriteMessage: a text message must be valid UTF-8")
	}
	return ws.wrote(err)
}

// WriteText sends s as a text message.
func (ws *WebSocket) WriteText(s string) error {
	return ws.WriteMessage(TextMessage, []byte(s))
}

// WriteJSON sends v encoded as JSON in a text message.
func (ws *WebSocket) WriteJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return ws.WriteMessage(TextMessage, b)
}

// writePrepared sends a message encoded once for many sockets (Hub).
func (ws *WebSocket) writePrepared(pm *wsconn.Prepared) error {
	ws.live.RLock()
	defer ws.live.RUnlock()
	if ws.gone || ws.closing() {
		return net.ErrClosed
	}
	return ws.wrote(ws.conn.WritePrepared(pm, time.Now().Add(ws.cfg.WriteTimeout)))
}

// closing reports whether a close frame went out: no data may follow it.
func (ws *WebSocket) closing() bool {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.sentClose != nil
}

// wrote drops the connection after a failed write: a frame may be half
// sent, and a peer that cannot take data is as good as gone.
func (ws *WebSocket) wrote(err error) error {
	if err != nil && !errors.Is(err, net.ErrClosed) { // ErrClosed: after our close frame, or already gone
		ws.abort()
	}
	return err
}

// Close sends a close frame with code and reason (at most 123 bytes; longer
// is cut), waits briefly for the peer's reply, and closes the connection.
// Context is cancelled. Closing an already closed WebSocket does nothing.
func (ws *WebSocket) Close(code int, reason string) error {
	if !sendableCode(code) {
		return errors.New("kk: close code " + strconv.Itoa(code) + " may not be sent")
	}
	err := ws.sendClose(code, reason)
	if errors.Is(err, net.ErrClosed) {
		err = nil // already gone: nothing to do
	}
	ws.cancel()
	ws.finish()
	return err
}

// Context is cancelled once the connection closes, whoever closes it, or
// the server shuts down. Handlers receive the same context as their
// context.Context parameter.
func (ws *WebSocket) Context() context.Context { return ws.ctx }

// RemoteAddr is the peer's address.
func (ws *WebSocket) RemoteAddr() net.Addr { return ws.remote }

// control writes a control frame unless the socket is gone.
func (ws *WebSocket) control(op wsconn.OpCode, data []byte) error {
	ws.live.RLock()
	defer ws.live.RUnlock()
	if ws.gone {
		return net.ErrClosed
	}
	return ws.conn.WriteControl(op, data, time.Now().Add(ws.cfg.WriteTimeout))
}

// newWebSocket wraps an upgraded or dialled connection (raw is its
// socket) and starts its pinger; the caller starts its reader. base
// carries the context values the handler sees.
func newWebSocket(base context.Context, conn *wsconn.Conn, raw net.Conn, cfg *WebSocketConfig, client bool) *WebSocket {
	ws := &WebSocket{conn: conn, raw: raw, remote: raw.RemoteAddr(), cfg: cfg, client: client, in: make(chan inbound, inboundCapacity), readEnd: make(chan struct{}), closeOut: make(chan struct{})}
	ws.ctx, ws.cancel = context.WithCancel(base)
	conn.OnPing = func(data []byte) {
		ws.heard.Store(time.Now().UnixNano())
		if !ws.closing() { // after our close frame, nothing more is sent
			_ = ws.control(wsPong, data)
		}
	}
	conn.OnPong = func() { ws.heard.Store(time.Now().UnixNano()) }
	now := time.Now().UnixNano()
	ws.heard.Store(now)
	ws.pingAt = now + int64(cfg.PingInterval)
	ws.pinger = time.AfterFunc(cfg.PingInterval, ws.tick)
	return ws
}

const (
	wsPing  = wsconn.OpPing
	wsPong  = wsconn.OpPong
	wsClose = wsconn.OpClose
)

// read is the reader goroutine: every frame is read here, data messages
// are handed to ReadMessage through ws.in.
func (ws *WebSocket) read() {
	defer func() {
		if ws.client {
			ws.finish() // no handler's return will do it
		}
	}()
	defer close(ws.readEnd)
	defer ws.cancel()
	for {
		op, data, err := ws.readOne()
		if err != nil {
			ws.readFailed(err)
			return
		}
		ws.heard.Store(time.Now().UnixNano())
		ws.deliver(inbound{MessageKind(op), data})
	}
}

// readOne reads a message into a pooled buffer and returns an exact-size
// copy: one allocation per message, the caller's to keep.
func (ws *WebSocket) readOne() (wsconn.OpCode, []byte, error) {
	bp := readBuffers.Get().(*[]byte)
	op, data, err := ws.conn.ReadMessage(*bp)
	var out []byte
	if err == nil {
		out = bytes.Clone(data)
		if out == nil {
			out = []byte{}
		}
	}
	if cap(data) <= 64<<10 {
		*bp = data[:0]
		readBuffers.Put(bp)
	}
	return op, out, err
}

var readBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// readFailed ends the reader: the peer's close (answered, and the
// connection ended, the closing handshake being complete), a protocol
// violation (failed with its code), or a broken connection.
func (ws *WebSocket) readFailed(err error) {
	var pe *wsconn.ProtocolError
	var pc *wsconn.PeerClose
	switch {
	case errors.As(err, &pe):
		ws.readErr = &CloseError{Code: pe.Code, Reason: pe.Reason}
		close(ws.in)
		ws.fail(pe.Code, pe.Reason)
	case errors.As(err, &pc):
		ws.mu.Lock()
		ours := ws.sentClose
		if ours == nil {
			ws.sentClose = &CloseError{Code: pc.Code, Reason: pc.Reason}
		}
		ws.mu.Unlock()
		if ours == nil { // echo the peer's code (RFC 6455 section 5.5.1)
			ws.closeOK = ws.control(wsClose, wsconn.CloseFrame(pc.Code, "")) == nil
			close(ws.closeOut)
			ws.readErr = closeErr(pc.Code, pc.Reason)
		} else {
			ws.readErr = closeErr(ours.Code, ours.Reason)
		}
		close(ws.in)
		ws.abort() // the closing handshake is complete
	default:
		ws.mu.Lock()
		sent := ws.sentClose
		ws.mu.Unlock()
		if sent != nil {
			ws.readErr = closeErr(sent.Code, sent.Reason)
		} else {
			ws.readErr = &CloseError{Code: closeAbnormal, Reason: "connection lost: " + err.Error()}
		}
		close(ws.in)
	}
}

func closeErr(code int, reason string) error {
	if code == closeNormal || code == closeGoingAway {
		return io.EOF
	}
	return &CloseError{Code: code, Reason: reason}
}

// fail fails the connection after a protocol violation (RFC 6455 section
// 7.1.7): a close frame with code, then the socket's sending half is shut
// (the peer reads our close, then the end), and the connection ends as
// soon as the peer's close frame, or its own end, arrives, or after
// closeTimeout at the latest.
func (ws *WebSocket) fail(code int, reason string) {
	// The handler may be sending a close of its own: either way the
	// sending half shuts only after the close frame is out.
	if ws.sendClose(code, reason) == nil {
		<-ws.closeOut
		if cw, ok := ws.raw.(interface{ CloseWrite() error }); ok && ws.closeOK {
			_ = cw.CloseWrite()
		}
	}
	_ = ws.raw.SetReadDeadline(time.Now().Add(closeTimeout))
	_, _ = ws.conn.AwaitClose()
	ws.abort()
}

// deliver hands m to ReadMessage. Once the connection is closing (the
// context is done), unread messages are dropped so the reader can still see
// the peer's close frame.
func (ws *WebSocket) deliver(m inbound) {
	select {
	case ws.in <- m:
		return
	default:
	}
	ws.parked.Store(true)
	select {
	case ws.in <- m:
	case <-ws.ctx.Done():
	}
	ws.heard.Store(time.Now().UnixNano())
	ws.parked.Store(false)
}

// sendClose sends a close frame once. It returns nil when a close frame
// was already sent or is being sent (closeOut tells when it is out), an
// error when the connection is gone without one.
func (ws *WebSocket) sendClose(code int, reason string) error {
	if !sendableCode(code) {
		return errors.New("kk: close code " + strconv.Itoa(code) + " may not be sent")
	}
	payload := wsconn.CloseFrame(code, reason)
	ws.mu.Lock()
	if ws.sentClose != nil {
		ws.mu.Unlock()
		return nil
	}
	if ws.aborted {
		ws.mu.Unlock()
		return net.ErrClosed
	}
	ws.sentClose = &CloseError{Code: code, Reason: string(payload[2:])}
	ws.mu.Unlock()
	err := ws.control(wsClose, payload)
	ws.closeOK = err == nil
	close(ws.closeOut)
	if err != nil {
		ws.abort()
		return err
	}
	// A peer that never answers our close (or never reads) must not keep
	// the connection, and the reader waiting on it, open: give up on it.
	t := time.AfterFunc(closeTimeout, ws.abort)
	ws.mu.Lock()
	ws.closeTimer = t
	ws.mu.Unlock()
	return nil
}

// sendableCode reports whether code may appear in a close frame kk sends.
func sendableCode(code int) bool { return wsconn.ReceivableCode(code) }

// abort closes the socket without a close handshake: the peer is gone or
// broken. The reader ends, and with it the context.
func (ws *WebSocket) abort() {
	ws.mu.Lock()
	if ws.aborted {
		ws.mu.Unlock()
		return
	}
	ws.aborted = true
	ws.mu.Unlock()
	_ = ws.raw.Close()
}

// dropSilent aborts a connection whose peer has not been heard from for
// two ping intervals.
func (ws *WebSocket) dropSilent() {
	ws.mu.Lock()
	if ws.sentClose == nil {
		ws.sentClose = &CloseError{Code: closeAbnormal, Reason: "peer silent for two ping intervals"}
		close(ws.closeOut) // no frame: the peer is not listening
	}
	ws.mu.Unlock()
	ws.abort()
}

// tick pings the peer every interval and drops it after two silent ones.
// It runs on a timer, not a goroutine of its own.
func (ws *WebSocket) tick() {
	if ws.ctx.Err() != nil {
		return
	}
	interval := int64(ws.cfg.PingInterval)
	now := time.Now().UnixNano()
	heard := ws.heard.Load()
	if ws.parked.Load() {
		heard = now // the reader is not reading; it cannot hear anything
	}
	if now-heard >= 2*interval {
		ws.dropSilent()
		return
	}
	if now >= ws.pingAt {
		_ = ws.control(wsPing, nil)
		ws.pingAt = now + interval
	}
	next := min(ws.pingAt, heard+2*interval) - now
	ws.pinger.Reset(time.Duration(max(next, int64(time.Millisecond))))
}

// finish tears the connection down once: it waits for the reader to see
// the peer's close (at most closeTimeout), closes the socket, and takes the
// WebSocket out of its hubs.
func (ws *WebSocket) finish() {
	ws.teardon.Do(func() {
		select {
		case <-ws.readEnd:
		case <-time.After(closeTimeout):
		}
		ws.abort()
		<-ws.readEnd
		ws.pinger.Stop()
		ws.live.Lock() // waits out writes in flight, which fail fast on the closed socket
		ws.gone = true
		ws.live.Unlock()
		ws.mu.Lock()
		if ws.closeTimer != nil {
			ws.closeTimer.Stop()
		}
		ws.closed = true
		hubs := ws.hubs
		ws.hubs = nil
		ws.mu.Unlock()
		for h := range hubs {
			h.remove(ws)
		}
	})
}

// goAway is what a server shutdown asks of an open WebSocket: 1001 and a
// cancelled context. The frame is sent on its own goroutine so one stalled
// peer does not hold up the others' notices.
func (ws *WebSocket) goAway() {
	go func() {
		_ = ws.sendClose(closeGoingAway, "server shutting down")
		ws.cancel()
	}()
}
