package bus

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// natsServer starts an embedded nats-server on 127.0.0.1 at a random port,
// stopped at test cleanup, and returns its client URL.
func natsServer(t testing.TB) string {
	t.Helper()
	return startServer(t, false).url()
}

// logBuffer collects a bus's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

// transport builds buses on one transport: open returns another bus of the
// same "world" (in process: the same bus; on NATS: a new connection to the
// same server, standing for another process), closed at cleanup.
type testTransport struct {
	name string
	open func(t *testing.T, opts ...Option) *Bus
}

func transports() []testTransport {
	return []testTransport{
		{"local", func(t *testing.T, opts ...Option) *Bus {
			b := New(opts...)
			t.Cleanup(func() { b.Close() })
			return b
		}},
		{"nats", func(t *testing.T, opts ...Option) *Bus {
			url := natsServer(t)
			b, err := Connect(url, opts...)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			return b
		}},
	}
}

// eachTransport runs f as a subtest on each transport.
func eachTransport(t *testing.T, f func(t *testing.T, open func(...Option) *Bus)) {
	for _, tr := range transports() {
		t.Run(tr.name, func(t *testing.T) {
			f(t, func(opts ...Option) *Bus { return tr.open(t, opts...) })
		})
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
