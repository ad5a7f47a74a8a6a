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
//		room := string(c.RawParam(0))
//		return kk.UpgradeWebSocket(c, func(ctx context.Context, ws *kk.WebSocket) error {
//			return Join(ctx, room, ws)
//		})
//	}

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"github.com/fasthttp/websocket"
	"github.com/valyala/fasthttp"
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

// writeBuffers lends connections their write buffer only while they write,
// so idle connections hold none.
var writeBuffers sync.Pool

// UpgradeWebSocket upgrades the request and, once the 101 is sent, runs h
// on the connection's own goroutine. The context h gets holds the request's
// user values as they were at the upgrade (the request ID among them) and
// is cancelled when the connection closes or the server shuts down. When h
// returns the connection closes: 1000 for nil, 1011 (logged) for an error,
// or a *CloseError's own code and reason.
func UpgradeWebSocket(c *Ctx, h WebSocketHandler) error {
	r := c.router
	cfg := r.webSocketConfig()
	base := detachedContext(c)
	shutdown := c.shutdown()
	method, path, pattern := string(c.Method()), string(c.Path()), c.routePattern()
	// serve runs the connection: the handler on a fresh goroutine (a small
	// stack while it idles), then the close; done when it is torn down.
	serve := func(ws *WebSocket) (finished chan struct{}) {
		finished = make(chan struct{})
		done := r.live.add(ws.goAway)
		unwatch := watchDone(shutdown, ws.goAway)
		go func() {
			defer close(finished)
			defer done()
			defer unwatch()
			herr := runWebSocketHandler(h, ws.ctx, ws)
			code, reason := closeFor(herr)
			if code == closeInternal {
				r.log().Error("kk: websocket handler error", "method", method, "path", path, "route", pattern, "err", herr)
			}
			_ = ws.sendClose(code, reason)
			ws.cancel()
			ws.finish()
			endSession(base, herr) // session.go
		}()
		return finished
	}
	if r.keepHijacked.Load() {
		return upgradeDetached(c, cfg, func(conn *websocket.Conn, err error) {
			if err != nil {
				endSession(base, err) // session.go
				return
			}
			ws := newWebSocket(base, conn, cfg, false)
			go ws.read()
			serve(ws)
		})
	}
	// A plain fasthttp.Server: upgrade inside its hijack.
	var refused error
	up := websocket.FastHTTPUpgrader{
		ReadBufferSize:    128, // frame headers; fasthttp's own reader buffers in front of it
		WriteBufferPool:   &writeBuffers,
		EnableCompression: cfg.Compression,
		CheckOrigin: func(rc *fasthttp.RequestCtx) bool { // as CheckWebSocket, for hand-written callers
			origin := rc.Request.Header.Peek("Origin")
			return len(origin) == 0 || originAllowed(string(origin), string(rc.Host()), cfg.AllowedOrigins)
		},
		Error: func(_ *fasthttp.RequestCtx, status int, reason error) {
			refused = Error(status, reason.Error())
		},
	}
	err := up.Upgrade(c.RequestCtx, func(conn *websocket.Conn) {
		// fasthttp recycles the connection when this returns, so this
		// goroutine, deep in fasthttp already, does the reading, and waits
		// for the handler and the teardown.
		ws := newWebSocket(base, conn, cfg, false)
		finished := serve(ws)
		ws.read()
		<-finished
	})
	if refused != nil {
		return refused
	}
	return err
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

// closeFor is the close frame for a handler's result.
func closeFor(err error) (int, string) {
	if err == nil || errors.Is(err, io.EOF) { // io.EOF: ReadMessage's, handed back
		return closeNormal, ""
	}
	var ce *CloseError
	if errors.As(err, &ce) {
		if sendableCode(ce.Code) {
			return ce.Code, ce.Reason
		}
		if ce.Code == closeAbnormal {
			return closeNormal, "" // a ReadMessage error handed back: the peer is gone anyway
		}
	}
	return closeInternal, "internal error"
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
