package kk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/fasthttp/websocket"
)

// MessageKind is the kind of a WebSocket data message.
type MessageKind int

// The two kinds of data message. Their values are the RFC 6455 opcodes.
const (
	TextMessage   MessageKind = websocket.TextMessage
	BinaryMessage MessageKind = websocket.BinaryMessage
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
	closeNormal     = websocket.CloseNormalClosure     // 1000: the handler returned nil
	closeGoingAway  = websocket.CloseGoingAway         // 1001: the server is shutting down
	closeAbnormal   = websocket.CloseAbnormalClosure   // 1006: never sent; no close frame came
	closeProtocol   = websocket.CloseProtocolError     // 1002: the peer broke the protocol
	closeTooBig     = websocket.CloseMessageTooBig     // 1009: over WebSocketConfig.ReadLimit
	closeInternal   = websocket.CloseInternalServerErr // 1011: the handler returned an error
	closeTimeout    = 2 * time.Second                  // how long a close waits for the peer's reply
	inboundCapacity = 4                                // messages the reader may run ahead of ReadMessage
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
	conn   *websocket.Conn
	raw    net.Conn // what abort closes: the socket itself
	cfg    *WebSocketConfig
	ctx    context.Context
	cancel context.CancelFunc

	in      chan inbound  // from the reader; closed when it ends
	readErr error         // why the reader ended; set before in is closed
	readEnd chan struct{} // closed when the reader has returned

	wmu sync.Mutex // serialises data frames (the library allows one writer)

	// live guards every write to conn: once the handler has returned,
	// fasthttp recycles the hijacked connection, so finish takes it
	// exclusively and marks the socket gone; later writes fail instead.
	live   sync.RWMutex
	gone   bool
	remote net.Addr

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
// failed write drops the connection.
func (ws *WebSocket) WriteMessage(kind MessageKind, data []byte) error {
	if kind != TextMessage && kind != BinaryMessage {
		return errors.New("kk: WriteMessage: kind must be kk.TextMessage or kk.BinaryMessage")
	}
	ws.wmu.Lock()
	defer ws.wmu.Unlock()
	ws.live.RLock()
	defer ws.live.RUnlock()
	if ws.gone {
		return net.ErrClosed
	}
	_ = ws.conn.SetWriteDeadline(time.Now().Add(ws.cfg.WriteTimeout))
	err := ws.conn.WriteMessage(int(kind), data)
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
func (ws *WebSocket) writePrepared(pm *websocket.PreparedMessage) error {
	ws.wmu.Lock()
	defer ws.wmu.Unlock()
	ws.live.RLock()
	defer ws.live.RUnlock()
	if ws.gone {
		return net.ErrClosed
	}
	_ = ws.conn.SetWriteDeadline(time.Now().Add(ws.cfg.WriteTimeout))
	return ws.wrote(ws.conn.WritePreparedMessage(pm))
}

// wrote drops the connection after a failed write: the library's state is
// corrupt after one, and a peer that cannot take data is as good as gone.
func (ws *WebSocket) wrote(err error) error {
	if err != nil && !errors.Is(err, websocket.ErrCloseSent) {
		ws.abort()
	}
	if errors.Is(err, websocket.ErrCloseSent) {
		return net.ErrClosed
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
func (ws *WebSocket) control(kind int, data []byte) error {
	ws.live.RLock()
	defer ws.live.RUnlock()
	if ws.gone {
		return net.ErrClosed
	}
	return ws.conn.WriteControl(kind, data, time.Now().Add(ws.cfg.WriteTimeout))
}

// newWebSocket wraps an upgraded or dialled connection and starts its
// reader and pinger. base carries the context values the handler sees.
func newWebSocket(base context.Context, conn *websocket.Conn, cfg *WebSocketConfig, client bool) *WebSocket {
	ws := &WebSocket{conn: conn, cfg: cfg, client: client, in: make(chan inbound, inboundCapacity), readEnd: make(chan struct{})}
	ws.raw, ws.remote = socketOf(conn.NetConn()), conn.RemoteAddr()
	ws.ctx, ws.cancel = context.WithCancel(base)
	limit := cfg.ReadLimit
	if cfg.Compression {
		// The library counts bytes on the wire, before decompression;
		// incompressible data grows a little. The real limit is applied
		// after decompression, in read.
		limit += limit/32 + 1024
	}
	conn.SetReadLimit(limit)
	conn.SetPingHandler(func(data string) error {
		ws.heard.Store(time.Now().UnixNano())
		_ = ws.control(websocket.PongMessage, []byte(data))
		return nil
	})
	conn.SetPongHandler(func(string) error {
		ws.heard.Store(time.Now().UnixNano())
		return nil
	})
	conn.SetCloseHandler(func(code int, text string) error {
		// Echo the peer's code, unless a close of our own went first.
		ws.mu.Lock()
		ours := ws.sentClose != nil
		if !ours {
			ws.sentClose = &CloseError{Code: code, Reason: text}
		}
		ws.mu.Unlock()
		if !ours && !sendableCode(code) {
			code = closeNormal // 1005: the peer gave no code
		}
		if !ours {
			_ = ws.control(websocket.CloseMessage, websocket.FormatCloseMessage(code, ""))
		}
		return nil
	})
	now := time.Now().UnixNano()
	ws.heard.Store(now)
	ws.pingAt = now + int64(cfg.PingInterval)
	ws.pinger = time.AfterFunc(cfg.PingInterval, ws.tick)
	if client {
		go ws.read()
	} // a server's reader runs on the hijacked connection's goroutine (UpgradeWebSocket)
	return ws
}

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
		kind, r, err := ws.conn.NextReader()
		if err != nil {
			ws.readFailed(err)
			return
		}
		ws.heard.Store(time.Now().UnixNano())
		data, err := readLimited(r, ws.cfg.ReadLimit)
		if err == errTooBig {
			_ = ws.sendClose(closeTooBig, "message too big")
			ws.readErr = &CloseError{Code: closeTooBig, Reason: "message too big"}
			ws.drain()
			close(ws.in)
			return
		}
		if err != nil {
			ws.readFailed(err)
			return
		}
		ws.deliver(inbound{MessageKind(kind), data})
	}
}

// readFailed ends the reader after a read error. When the library itself
// sent a close frame (a message over the limit, a protocol violation),
// the rest of what the peer sends is drained so our close frame reaches it.
func (ws *WebSocket) readFailed(err error) {
	var library bool
	ws.readErr, library = ws.endError(err)
	if ce, ok := ws.readErr.(*CloseError); ok && library {
		ws.noteClose(ce.Code, ce.Reason)
		ws.drain()
	}
	close(ws.in)
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

var errTooBig = errors.New("message too big")

// readLimited reads a whole message, failing once it passes limit bytes.
// It reads into a pooled buffer and returns an exact-size copy: one
// allocation per message, the caller's to keep.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	buf := readBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 64<<10 {
			buf.Reset()
			readBuffers.Put(buf)
		}
	}()
	buf.Reset()
	if _, err := buf.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > limit {
		return nil, errTooBig
	}
	return bytes.Clone(buf.Bytes()), nil
}

var readBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// drain reads and discards what the peer still sends after a close we
// sent, until it closes or closeTimeout passes, so closing the socket does
// not reset it while the peer still has our close frame to read.
func (ws *WebSocket) drain() {
	_ = ws.raw.SetReadDeadline(time.Now().Add(closeTimeout))
	_, _ = io.Copy(io.Discard, ws.conn.NetConn())
}

// endError turns the library's read error into what ReadMessage returns.
// library reports that the library sent the close frame itself.
func (ws *WebSocket) endError(err error) (_ error, library bool) {
	ws.mu.Lock()
	sent := ws.sentClose
	ws.mu.Unlock()
	code, reason := closeAbnormal, "connection lost: "+err.Error()
	var ce *websocket.CloseError
	var ne net.Error
	switch {
	case sent != nil:
		code, reason = sent.Code, sent.Reason // ours went first, or the peer's that we echoed
	case errors.As(err, &ce):
		code, reason = ce.Code, ce.Text
	case errors.Is(err, websocket.ErrReadLimit):
		code, reason, library = closeTooBig, "message too big", true // the library sent 1009
	case errors.As(err, &ne), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		// the connection itself failed: 1006
	default:
		// The library's protocol errors ("websocket: bad MASK") are plain
		// errors; it has sent 1002 with the message.
		code, reason, library = closeProtocol, strings.TrimPrefix(err.Error(), "websocket: "), true
	}
	if code == closeNormal || code == closeGoingAway {
		return io.EOF, library
	}
	return &CloseError{Code: code, Reason: reason}, library
}

// noteClose records a close frame the library sent on its own.
func (ws *WebSocket) noteClose(code int, reason string) {
	ws.mu.Lock()
	if ws.sentClose == nil {
		ws.sentClose = &CloseError{Code: code, Reason: reason}
	}
	ws.mu.Unlock()
}

// sendClose sends a close frame once.
func (ws *WebSocket) sendClose(code int, reason string) error {
	if !sendableCode(code) {
		return errors.New("kk: close code " + strconv.Itoa(code) + " may not be sent")
	}
	reason = truncateReason(reason)
	ws.mu.Lock()
	if ws.sentClose != nil || ws.aborted {
		ws.mu.Unlock()
		return nil
	}
	ws.sentClose = &CloseError{Code: code, Reason: reason}
	ws.mu.Unlock()
	err := ws.control(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason))
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

// sendableCode reports whether code may appear in a close frame.
func sendableCode(code int) bool {
	switch {
	case code >= 3000 && code <= 4999:
		return true
	case code < 1000 || code > 1014:
		return false
	}
	return code != 1004 && code != 1005 && code != 1006
}

func truncateReason(s string) string {
	const max = 123 // a control frame carries 125 bytes, 2 of them the code
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

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
		_ = ws.control(websocket.PingMessage, nil)
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
