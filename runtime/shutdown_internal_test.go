package kk

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRunStopsLongLived registers a long-lived connection on its server's
// live set from a request, as WebSocket and event-stream handlers do: Run asks each to
// stop and waits for it; one that ignores the request is cut off at
// ShutdownTimeout, logged and reported as ErrShutdownTimeout.
func TestRunStopsLongLived(t *testing.T) {
	for _, obedient := range []bool{true, false} {
		var mu sync.Mutex
		var logs bytes.Buffer
		logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			return logs.Write(p)
		}), nil))
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		stopped := make(chan struct{})
		finished := make(chan struct{})
		registered := make(chan func(), 1)
		r := New(Table{Routes: []Route{{Method: "GET", Pattern: "/", Handler: func(c *Ctx) error {
			registered <- c.srv.track(func() { close(stopped) })
			return nil
		}}}, Match: func(string, []byte, *Params) int { return 0 }, Methods: []string{"GET"}})
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		srv := &Server{Listener: ln, Router: r, Logger: logger, ShutdownTimeout: 300 * time.Millisecond}
		go func() { errc <- Run(ctx, srv) }()
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
		done := <-registered
		conn.Close()
		go func() {
			<-stopped
			if obedient {
				time.Sleep(50 * time.Millisecond) // sends its 1001, say
				done()
			}
			close(finished)
		}()
		cancel()
		err = <-errc
		<-finished
		mu.Lock()
		log := logs.String()
		mu.Unlock()
		if obedient {
			if err != nil || srv.stop.live.len() != 0 {
				t.Errorf("obedient long-lived connection: Run = %v, %d still open", err, srv.stop.live.len())
			}
			continue
		}
		if !errors.Is(err, ErrShutdownTimeout) || !strings.Contains(log, "long_lived=1") {
			t.Errorf("long-lived connection that never finishes: Run = %v; log:\n%s", err, log)
		}
		done()
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
