package panics

import (
	"bytes"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

const internal = `{"type":"about:blank","title":"Internal Server Error","status":500}`

func TestPanics(t *testing.T) {
	r := NewRouter()
	var logs bytes.Buffer
	r.SetLogger(slog.New(slog.NewTextHandler(&logs, nil)))
	for _, tc := range []struct {
		target, logged string
	}{
		{"/panic/string", "secret panic value"},
		{"/panic/error", "secret panic error"},
		{"/panic/after-write", "late"},
		{"/panic/index/5", "index out of range"},
	} {
		logs.Reset()
		resp := kktest.Do(r, "GET", tc.target)
		if resp.StatusCode() != 500 || string(resp.Body()) != internal {
			t.Errorf("GET %s = %d %s; want 500 %s", tc.target, resp.StatusCode(), resp.Body(), internal)
		}
		if ct := string(resp.Header.ContentType()); ct != "application/problem+json" {
			t.Errorf("GET %s Content-Type = %q; want application/problem+json", tc.target, ct)
		}
		if !strings.Contains(logs.String(), tc.logged) || !strings.Contains(logs.String(), tc.target) {
			t.Errorf("GET %s logged %q; want the panic %q and the path", tc.target, logs.String(), tc.logged)
		}
		// The router still serves.
		if resp := kktest.Do(r, "GET", "/ok"); resp.StatusCode() != 200 || string(resp.Body()) != "ok" {
			t.Fatalf("GET /ok after a panic = %d %s; want 200 ok", resp.StatusCode(), resp.Body())
		}
	}
	if resp := kktest.Do(r, "GET", "/panic/index/1"); resp.StatusCode() != 200 || string(resp.Body()) != "2" {
		t.Errorf("GET /panic/index/1 = %d %s; want 200 2", resp.StatusCode(), resp.Body())
	}
}

// TestPanicsConcurrently serves panicking and healthy requests from many
// goroutines: every healthy one must succeed.
func TestPanicsConcurrently(t *testing.T) {
	r := NewRouter()
	var logs bytes.Buffer
	r.SetLogger(slog.New(slog.NewTextHandler(&lockedWriter{w: &logs}, nil)))
	done := make(chan string)
	for g := 0; g < 8; g++ {
		go func() {
			msg := ""
			for i := 0; i < 50; i++ {
				if resp := kktest.Do(r, "GET", "/panic/string"); resp.StatusCode() != 500 {
					msg = "panic answered " + resp.String()
				}
				if resp := kktest.Do(r, "GET", "/ok"); resp.StatusCode() != 200 {
					msg = "ok answered " + resp.String()
				}
			}
			done <- msg
		}()
	}
	for g := 0; g < 8; g++ {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
