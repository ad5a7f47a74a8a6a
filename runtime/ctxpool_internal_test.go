package kk

import (
	"context"
	"testing"

	"github.com/valyala/fasthttp"
)

// TestIdleCtxHoldsNothing serves requests that fill every field a request
// can give a Ctx (the RequestCtx, the route, parameters in all of the
// table's slots, a SetContext context, the shutdown channel) and then
// inspects the Ctx the router pooled: it must refer to its router and
// nothing else, so an idle Ctx keeps no request's memory alive. Tables of
// up to four parameters and of more take different clearing paths; both
// are checked.
func TestIdleCtxHoldsNothing(t *testing.T) {
	for _, n := range []int{1, 4, 5, MaxParams} {
		names := make([]string, n)
		pattern := ""
		for i := range names {
			names[i] = string(rune('a' + i%26))
			pattern += "/:" + names[i]
		}
		var served *Ctx
		r := New(Table{
			Routes: []Route{{Method: "GET", Pattern: pattern, Params: names, Handler: func(c *Ctx) error {
				c.SetContext(context.WithValue(c.Context(), poolTestKey{}, 1))
				c.done = make(chan struct{}) // a bare RequestCtx has no server to give one
				served = c
				return NoContent(c)
			}}},
			Methods: []string{"GET"},
			Match: func(method string, p []byte, ps *Params) int {
				for i := range n {
					ps[i] = p[:1] // any view of the path will do
				}
				return 0
			},
		})
		h := r.Handler()
		var rc fasthttp.RequestCtx
		rc.Request.SetRequestURI("/x")
		h(&rc)
		if rc.Response.StatusCode() != fasthttp.StatusNoContent || served == nil {
			t.Fatalf("%d params: status %d", n, rc.Response.StatusCode())
		}
		c, _ := r.ctxs.Get().(*Ctx)
		if c == nil {
			// Only the race detector makes sync.Pool drop a Put at random.
			t.Skip("the pool dropped the Ctx (race detector)")
		}
		if c != served {
			t.Fatalf("%d params: the pool holds another Ctx than the one that served", n)
		}
		if c.router != r {
			t.Errorf("%d params: idle Ctx lost its router", n)
		}
		if c.RequestCtx != nil || c.route != nil || c.ctx != nil || c.done != nil {
			t.Errorf("%d params: idle Ctx still holds RequestCtx %p, route %p, ctx %v, done %v",
				n, c.RequestCtx, c.route, c.ctx, c.done)
		}
		for i, p := range c.params {
			if p != nil {
				t.Errorf("%d params: idle Ctx still holds parameter slot %d", n, i)
			}
		}
	}
}

// poolTestKey keys the test's context value.
type poolTestKey struct{}
