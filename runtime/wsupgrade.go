package kk

// This file holds what generated WebSocket wrappers call; user code has no
// need of it. A wrapper checks the handshake, binds the handler's
// parameters (a failure is the usual 4xx), then hands the bound handler to
// UpgradeWebSocket:
//
//	func kkJoin(c *kk.Ctx) error {
//		if err := kk.CheckWebSocket(c); err != nil {
//			return err
//		}
//		room := string(kk.ParamAt(c, 0))
//		return kk.UpgradeWebSocket(c, func(ctx context.Context, ws *kk.WebSocket) error {
//			return Join(ctx, room, ws)
//		})
//	}

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/internal/wsconn"
)

// WebSocketHandler is a WebSocket route's handler with its parameters
// bound: it runs on its own goroutine once the connection is upgraded.
type WebSocketHandler func(ctx context.Context, ws *WebSocket) error

// CheckWebSocket answers a request that cannot be upgraded: 426 (with
// Upgrade: websocket) when it does not ask for a WebSocket, 400 when the
// handshake is malformed, 403 when its Origin is neither the server's own
// nor allowed by the router's WebSocketConfig.
func CheckWebSocket(c *Ctx) error {
	h := &c.Request.Header
	if !c.IsGet() || !headerHasToken(h.Peek("Upgrade"), "websocket") {
		c.Response.Header.Set("Upgrade", "websocket")
		c.Response.Header.Set("Connection", "Upgrade")
		return Errorf(fasthttp.StatusUpgradeRequired, "%s %s is a WebSocket endpoint: send a GET with Upgrade: websocket", c.Method(), c.Path())
	}
	if !headerHasToken(h.Peek("Connection"), "upgrade") {
		return Error(fasthttp.StatusBadRequest, "WebSocket handshake: the Connection header must include \"Upgrade\"")
	}
	if v := h.Peek("Sec-WebSocket-Version"); string(bytes.TrimSpace(v)) != "13" {
		c.Response.Header.Set("Sec-WebSocket-Version", "13")
		return Errorf(fasthttp.StatusBadRequest, "WebSocket handshake: unsupported Sec-WebSocket-Version %q; this server speaks 13", v)
	}
	key := h.Peek("Sec-WebSocket-Key")
	if n, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(key))); len(key) == 0 || err != nil || len(n) != 16 {
		return Error(fasthttp.StatusBadRequest, "WebSocket handshake: Sec-WebSocket-Key must be 16 random bytes in base64")
	}
	if origin := h.Peek("Origin"); len(origin) > 0 && !originAllowed(string(origin), string(c.Host()), c.router.webSocketConfig().AllowedOrigins) {
		return Errorf(fasthttp.StatusForbidden, "WebSocket handshake: origin %q is not allowed", origin)
	}
	return nil
}

// headerHasToken reports whether a comma-separated header value holds
// token, case-insensitively.
func headerHasToken(v []byte, token string) bool {
	for len(v) > 0 {
		var part []byte
		part, v, _ = bytes.Cut(v, []byte{','})
		if strings.EqualFold(string(bytes.TrimSpace(part)), token) {
			return true
		}
	}
	return false
}

// originAllowed: the same host as the request, "*", an exact origin, or a
// bare host of the allowed list.
func originAllowed(origin, host string, allowed []string) bool {
	u, err := url.Parse(origin)
	if err == nil && u.Host != "" && strings.EqualFold(u.Host, host) {
		return true
	}
	for _, a := range allowed {
		if a == "*" || strings.EqualFold(a, origin) || (err == nil && u.Host != "" && !strings.Contains(a, "://") && strings.EqualFold(a, u.Host)) {
			return true
		}
	}
	return false
}

// UpgradeWebSocket upgrades the request and, once the 101 is sent, runs h
// on the connection's own goroutine. The context h gets holds the request's
// user values as they were at the upgrade (the request ID among them) and
// is cancelled when the connection closes or the server shuts down. When h
// returns the connection closes: 1000 for nil, 1011 (logged) for an error,
// or a *CloseError's own code and reason.
func UpgradeWebSocket(c *Ctx, h WebSocketHandler) error {
	if err := CheckWebSocket(c); err != nil { // again, for hand-written callers
		return err
	}
	r := c.router
	cfg := r.webSocketConfig()
	base := detachedContext(c)
	shutdown := c.shutdown()
	st := c.srv // the Ctx is reused before the hijack handler runs
	method, path, pattern := string(c.Method()), string(c.Path()), c.routePattern()
	deflate := cfg.Compression && wsconn.AcceptDeflate(headerValues(&c.Request.Header, "Sec-WebSocket-Extensions"))
	answerUpgrade(c, deflate)
	// serve runs the connection: the handler on a fresh goroutine (a small
	// stack while it idles), then the close; done when it is torn down.
	serve := func(ws *WebSocket) (finished chan struct{}) {
		finished = make(chan struct{})
		done := st.track(ws.goAway) // live.go: a kk Server's shutdown sends 1001 and waits
		unwatch := watchDone(shutdown, ws.goAway)
		go func() {
			defer close(finished)
			defer done()
			defer unwatch()
			herr := runWebSocketHandler(h, ws.ctx, ws)
			code, reason, failed := closeFor(herr)
			if failed {
				r.log().Error("kk: websocket handler error", "method", method, "path", path, "route", pattern, "err", herr)
			}
			_ = ws.sendClose(code, reason)
			ws.cancel()
			ws.finish()
			endSession(base, herr) // session.go
		}()
		return finished
	}
	keep := st != nil // kk's Server keeps hijacked connections; a plain fasthttp.Server closes them
	c.Hijack(func(hjc net.Conn) {
		raw := wsSocket(hjc)
		conn := wsconn.New(raw, buffered(hjc, raw), false, deflate, cfg.ReadLimit)
		ws := newWebSocket(base, conn, raw, cfg, false)
		if keep {
			// Detached (wsdetach.go): the reader and the handler have
			// goroutines of their own, and fasthttp's goroutine, request
			// context and read buffer go back to it at once.
			go ws.read()
			serve(ws)
			return
		}
		// A plain fasthttp.Server closes the connection when this returns,
		// so this goroutine, deep in fasthttp already, does the reading
		// and waits for the handler and the teardown.
		finished := serve(ws)
		ws.read()
		<-finished
	})
	return nil
}

// answerUpgrade makes c's response the 101 that accepts the handshake;
// fasthttp sends it, with what middleware set (X-Request-ID, cookies),
// before it hands the connection over.
func answerUpgrade(c *Ctx, deflate bool) {
	sum := sha1.Sum(append(bytes.TrimSpace(c.Request.Header.Peek("Sec-WebSocket-Key")), "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"...))
	c.SetStatusCode(fasthttp.StatusSwitchingProtocols)
	c.Response.ResetBody()
	h := &c.Response.Header
	h.Set("Upgrade", "websocket")
	h.Set("Connection", "Upgrade")
	h.Set("Sec-WebSocket-Accept", base64.StdEncoding.EncodeToString(sum[:]))
	if deflate {
		h.Set("Sec-WebSocket-Extensions", wsconn.DeflateResponse)
	}
}

// headerValues is every value of a request header that may repeat.
func headerValues(h *fasthttp.RequestHeader, name string) []string {
	var vs []string
	for _, v := range h.PeekAll(name) {
		vs = append(vs, string(v))
	}
	return vs
}

// runWebSocketHandler runs h, turning a panic into an error (logged and
// closed with 1011) so one connection never takes the server down.
func runWebSocketHandler(h WebSocketHandler, ctx context.Context, ws *WebSocket) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errors.New("kk: websocket handler panic: " + panicString(p))
		}
	}()
	return h(ctx, ws)
}

func panicString(p any) string {
	if e, ok := p.(error); ok {
		return e.Error()
	}
	if s, ok := p.(string); ok {
		return s
	}
	return slog.AnyValue(p).String()
}

// closeFor is the close frame for a handler's result, and whether the
// result is a failure of the handler's own (logged). A *CloseError is a
// close the handler chose or one ReadMessage reported (the peer's 1011,
// its close without a code, a vanished peer), and net.ErrClosed a write
// to a connection that had closed meanwhile: none is the handler's
// failure.
func closeFor(err error) (code int, reason string, failed bool) {
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) { // io.EOF: ReadMessage's, handed back
		return closeNormal, "", false
	}
	var ce *CloseError
	if errors.As(err, &ce) {
		if sendableCode(ce.Code) {
			return ce.Code, ce.Reason, false
		}
		return closeNormal, "", false // 1005, 1006: the peer is gone or went without a code
	}
	return closeInternal, "internal error", true
}

// detachedContext is the base context of a handler that outlives its
// request (a WebSocket or an event stream): no deadline, and the request's
// user values (the request ID among them) as they are now, since the
// request itself is recycled while the connection lives on.
func detachedContext(c *Ctx) context.Context {
	var vals map[any]any
	c.VisitUserValuesAll(func(k, v any) {
		if vals == nil {
			vals = make(map[any]any)
		}
		vals[k] = v
	})
	if vals == nil {
		return context.Background()
	}
	return valuesContext{context.Background(), vals}
}

// valuesContext answers Value from the request's user values, copied at
// the upgrade (the request itself is recycled while the socket lives).
type valuesContext struct {
	context.Context
	vals map[any]any
}

func (v valuesContext) Value(key any) any {
	if x, ok := v.vals[key]; ok {
		return x
	}
	return v.Context.Value(key)
}
