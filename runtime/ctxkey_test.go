package kk

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// TestCancelCtxKeyLearned checks that the key package context asks a
// parent for is the one a cancel context answers to.
func TestCancelCtxKeyLearned(t *testing.T) {
	if cancelCtxKey == nil {
		t.Fatal("no key learned from package context")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if got := ctx.Value(cancelCtxKey); got != ctx {
		t.Errorf("a cancel context answers the learned key with %v, want itself", got)
	}
}

// TestTimeoutDeadlineAtTheEnd runs handlers that finish just as their
// kk.Timeout deadline fires, so the deadline's timer cancels from its own
// goroutine while the request ends and fasthttp resets the RequestCtx.
// Under -race (CI's race step) this caught the timer reading the
// RequestCtx's user values through the request context.
func TestTimeoutDeadlineAtTheEnd(t *testing.T) {
	const d = 3 * time.Millisecond
	r := New(Table{
		Routes: []Route{{Method: "GET", Pattern: "/edge", Name: "Edge", Handler: Timeout(d)(func(c *Ctx) error {
			select {
			case <-time.After(d - 100*time.Microsecond):
			case <-c.Done():
			}
			return nil
		})}},
		Methods: []string{"GET"},
		Match: func(method string, p []byte, _ *Params) int {
			if method == "GET" && string(p) == "/edge" {
				return 0
			}
			return -1
		},
	})
	r.SetLogger(slog.New(slog.DiscardHandler)) // the 503s are logged
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, &Server{Listener: ln, Router: r}) }()
	defer func() { cancel(); <-done }()
	hc := &fasthttp.HostClient{Addr: ln.Addr().String(), MaxConns: 16}
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 25 {
				code, _, err := hc.Get(nil, "http://kk/edge")
				if err != nil || code != 200 && code != 503 {
					t.Errorf("%d %v", code, err)
					return
				}
			}
		})
	}
	wg.Wait()
}
