package kk

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// BenchmarkServerLimit is the per-request cost a kk.Server adds to the
// router's handler (the in-flight count, and the Concurrency check when
// there is a cap), run on every core at once as a busy server would, each
// goroutine serving its own connection: compare the sub-benchmarks.
func BenchmarkServerLimit(b *testing.B) {
	r := New(Table{
		Routes:  []Route{{Method: "GET", Pattern: "/hello", Name: "Hello", Handler: func(c *Ctx) error { return nil }}},
		Methods: []string{"GET"},
		Match:   func(string, []byte, *Params) int { return 0 },
	})
	capped := &Server{Router: r, Concurrency: 1 << 20, stop: newStopping()}
	uncapped := &Server{Router: r, stop: newStopping()}
	for _, bc := range []struct {
		name string
		h    fasthttp.RequestHandler
	}{{"router", r.Handler()}, {"server", uncapped.limit(r.Handler())}, {"server-with-Concurrency", capped.limit(r.Handler())}} {
		b.Run(bc.name, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				var rc fasthttp.RequestCtx
				var req fasthttp.Request
				req.SetRequestURI("/hello")
				rc.Init(&req, nil, nil) // a connection of its own, as each goroutine of a server has
				for pb.Next() {
					bc.h(&rc)
				}
			})
		})
	}
}
