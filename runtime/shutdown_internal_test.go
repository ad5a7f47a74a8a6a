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

// TestRunStopsLongLived registers long-lived connections on the routers'
// live sets, as WebSocket and event-stream handlers do: Run asks each to
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
		r := New(Table{Match: func(string, []byte, *Params) int { return -1 }})
		stopped := make(chan struct{})
		finished := make(chan struct{})
		done := r.live.add(func() { close(stopped) })
		go func() {
			<-stopped
			if obedient {
				time.Sleep(50 * time.Millisecond) // sends its 1001, say
				done()
			}
			close(finished)
		}()
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() {
			errc <- Run(ctx, &Server{Listener: ln, Router: r, Logger: logger, ShutdownTimeout: 300 * time.Millisecond})
		}()
		time.Sleep(50 * time.Millisecond)
		cancel()
		err = <-errc
		<-finished
		mu.Lock()
		log := logs.String()
		mu.Unlock()
		if obedient {
			if err != nil || r.live.len() != 0 {
				t.Errorf("obedient long-lived connection: Run = %v, %d still open", err, r.live.len())
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
