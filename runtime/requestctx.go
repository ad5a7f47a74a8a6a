package kk

import (
	"context"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// ShuttingDown returns a channel that is closed once the server serving
// ctx's request has begun to shut down. ctx is the request's *Ctx, its
// Context(), or any context derived from them.
//
// A graceful shutdown lets the requests in flight finish with their
// context intact: that context is cancelled only when the handler returns
// or the server's ShutdownTimeout passes. Work that can stop early (a
// long poll, a report that can be resumed, a batch that can answer with
// what it has) selects on this channel to wrap up before the deadline:
//
//	select {
//	case <-kk.ShuttingDown(ctx):
//		return kk.JSON(c, partial) // answer with what is done
//	case r := <-results:
//		...
//	}
//
// For a context that no kk request carries (context.Background(), a
// WebSocket's or event stream's, which are cancelled as the shutdown
// begins) it returns nil, a channel that never closes. On a
// fasthttp.Server that serves Router.Handler() directly it is fasthttp's
// shutdown channel.
func ShuttingDown(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(shuttingDownKey{}).(<-chan struct{})
	return ch
}

// shuttingDownKey is the Value key under which a request's context holds
// its server's shutdown-begun channel.
type shuttingDownKey struct{}

// requestContext is a request's context.Context (Ctx.Context). It is
// cancelled when the handler returns or its server's shutdown deadline
// passes, not when the shutdown begins, so a handler that hands it to a
// database call finishes normally during a graceful shutdown.
//
// The cancellation is built only when asked for (Done, Err, or a derived
// context's lookup): a request whose handler never waits on its context
// costs one small allocation here, if it asks for the context at all. The
// inner context is a child of the server's cut context, so the deadline
// reaches it, and contexts derived from this one become children of the
// inner context without a goroutine of their own (Value answers package
// context's cancelCtxKey with it).
type requestContext struct {
	rc     *fasthttp.RequestCtx // the request's user values
	begun  <-chan struct{}      // closed when the shutdown begins (ShuttingDown)
	parent context.Context      // the server's cut context; Background without a kk Server

	mu     sync.Mutex
	inner  context.Context // made on first use
	cancel context.CancelFunc
	ended  bool // the handler has returned
}

// cancellable is r's inner context, made on first use.
func (r *requestContext) cancellable() context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inner == nil {
		r.inner, r.cancel = context.WithCancel(r.parent)
		if r.ended {
			r.cancel()
		}
	}
	return r.inner
}

// end cancels r: its handler has returned, or the body it streams is sent.
func (r *requestContext) end() {
	r.mu.Lock()
	r.ended = true
	cancel := r.cancel
	r.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

func (r *requestContext) Deadline() (time.Time, bool) { return time.Time{}, false }
func (r *requestContext) Done() <-chan struct{}       { return r.cancellable().Done() }
func (r *requestContext) Err() error                  { return r.cancellable().Err() }

// Value answers the request's user values, the shutdown channel for
// ShuttingDown, and package context's own lookup. That lookup may come
// from a timer's goroutine after the request has ended (ctxkey.go), so it
// never reads the RequestCtx.
func (r *requestContext) Value(key any) any {
	switch {
	case key == cancelCtxKey && key != nil:
		return r.cancellable().Value(key)
	case key == shuttingDownKey{}:
		return r.begun
	}
	return r.rc.UserValue(key)
}
