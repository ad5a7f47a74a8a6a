package kk

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/kommandkit/kk/runtime/internal/edge"
)

// TestEdgeShutdownNotSlowedByLinger keeps connections idle after an
// answer, as keep-alive clients that never close do, and shuts down: the
// idle closes are immediate (the lingering close is only for closes right
// after an answer), so the shutdown does not wait a linger per connection.
func TestEdgeShutdownNotSlowedByLinger(t *testing.T) {
	r := New(Table{
		Routes:  []Route{{Method: "GET", Pattern: "/hello", Name: "Hello", Handler: func(c *Ctx) error { return Text(c, "hi") }}},
		Methods: []string{"GET"},
		Match: func(method string, p []byte, _ *Params) int {
			if method == "GET" && string(p) == "/hello" {
				return 0
			}
			return -1
		},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, r) }()
	const idle = 20
	for range idle {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("GET /hello HTTP/1.1\r\nHost: kk\r\n\r\n"))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%v %v", resp, err)
		}
		resp.Body.Close()
	}
	time.Sleep(50 * time.Millisecond) // all back waiting for their next request
	start := time.Now()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > edge.LingerTimeout/2 {
		t.Errorf("shutdown with %d idle connections took %v", idle, d)
	}
}
