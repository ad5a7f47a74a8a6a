package kk

import "context"

// A WebSocket or event-stream handler runs after the middleware chain has
// returned: the request became a session on the hijacked connection.
// Middleware that measures a request as a whole (a tracing span, a
// duration histogram) asks AfterSession to learn when that session ends.

// sessionEndKey is the user value under which AfterSession keeps its
// funcs; user values go with the session's context (detachedContext).
type sessionEndKey struct{}

// AfterSession asks that fn run once, on the session's goroutine, when
// the WebSocket or event stream this request becomes has ended, with the
// handler's error (nil for a clean end; the handshake's error when the
// upgrade failed). Middleware calls it before calling the handler and,
// after the handler returns, knows from c.Hijacked() whether the request
// became a session (fn will run) or was answered as usual (fn never runs).
// Funcs registered by several middleware run innermost first.
func AfterSession(c *Ctx, fn func(err error)) {
	if prev, _ := c.RequestCtx.UserValue(sessionEndKey{}).(func(error)); prev != nil {
		inner := fn
		fn = func(err error) { inner(err); prev(err) }
	}
	c.SetUserValue(sessionEndKey{}, fn)
}

// endSession runs the AfterSession funcs a session's context carries.
func endSession(ctx context.Context, err error) {
	if fn, _ := ctx.Value(sessionEndKey{}).(func(error)); fn != nil {
		fn(err)
	}
}
