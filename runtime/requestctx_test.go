package kk_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

type ctxKey struct{}

// TestShuttingDown: kk.ShuttingDown, asked with a context derived from the
// request's, is open while the server serves and closed once the shutdown
// begins, while the request's context itself stays alive; the handler
// answers after it and the client gets that answer.
func TestShuttingDown(t *testing.T) {
	type seen struct {
		beforeClosed bool  // ShuttingDown closed when the handler began
		errAfter     error // the request context's Err once ShuttingDown closed
		value        any   // a value set on the derived context
	}
	entered, saw := make(chan struct{}), make(chan seen, 1)
	handlers := map[string]kk.Handler{"GetItem": func(c *kk.Ctx) error {
		ctx := context.WithValue(c.Context(), ctxKey{}, "v")
		c.SetContext(ctx)
		var s seen
		select {
		case <-kk.ShuttingDown(c):
			s.beforeClosed = true
		default:
		}
		close(entered)
		<-kk.ShuttingDown(ctx)
		s.errAfter, s.value = ctx.Err(), ctx.Value(ctxKey{})
		saw <- s
		return kk.Text(c, "finished")
	}}
	srv := &kk.Server{Listener: loopback(t), Router: kk.New(table(handlers)), Logger: slog.New(slog.DiscardHandler)}
	run := startRun(t, srv)
	answer := make(chan string, 1)
	go func() {
		resp, err := http.Get(url(srv, "/items/x"))
		if err != nil {
			answer <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answer <- fmt.Sprintf("%d %s close=%v", resp.StatusCode, b, resp.Close)
	}()
	<-entered
	if err := run.stop(t); err != nil {
		t.Errorf("Run: %v", err)
	}
	s := <-saw
	if s.beforeClosed {
		t.Error("ShuttingDown was closed before the shutdown")
	}
	if s.errAfter != nil {
		t.Errorf("request context once the shutdown began: %v, want nil (not cancelled)", s.errAfter)
	}
	if s.value != "v" {
		t.Errorf("derived context's value = %v", s.value)
	}
	if got := <-answer; got != "200 finished close=true" {
		t.Errorf("answer = %s, want 200 finished close=true", got)
	}
	if ch := kk.ShuttingDown(context.Background()); ch != nil {
		t.Errorf("ShuttingDown(Background) = %v, want nil", ch)
	}
}

// TestRequestContextCutAtShutdownDeadline: a handler that waits on its
// context outlives the ShutdownTimeout; its context is cancelled then (not
// when the shutdown began), and Run reports ErrShutdownTimeout.
func TestRequestContextCutAtShutdownDeadline(t *testing.T) {
	const timeout = 200 * time.Millisecond
	entered := make(chan struct{})
	cut := make(chan time.Time, 1) // when the request's context ended
	handlers := map[string]kk.Handler{"GetItem": func(c *kk.Ctx) error {
		ctx := c.Context()
		close(entered)
		<-ctx.Done()
		cut <- time.Now()
		if !errors.Is(ctx.Err(), context.Canceled) {
			t.Errorf("Err after the deadline = %v", ctx.Err())
		}
		return nil // its answer goes nowhere: the connection is closed
	}}
	srv := &kk.Server{Listener: loopback(t), Router: kk.New(table(handlers)), ShutdownTimeout: timeout,
		Logger: slog.New(slog.DiscardHandler)}
	run := startRun(t, srv)
	go func() {
		if resp, err := http.Get(url(srv, "/items/x")); err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	begin := time.Now() // the shutdown's deadline is set after this
	if err := run.stop(t); !errors.Is(err, kk.ErrShutdownTimeout) {
		t.Errorf("Run = %v, want ErrShutdownTimeout", err)
	}
	if d := (<-cut).Sub(begin); d < timeout {
		t.Errorf("the request context ended %v after the shutdown began; want it at ShutdownTimeout, %v", d, timeout)
	}
}

// TestRequestContextEndsWithHandler: the request's context, and what was
// derived from it, is cancelled once the handler returns, as net/http's is:
// a goroutine the handler left waiting on it is released.
func TestRequestContextEndsWithHandler(t *testing.T) {
	released := make(chan error, 2)
	handlers := map[string]kk.Handler{"GetItem": func(c *kk.Ctx) error {
		ctx := c.Context()
		derived, cancel := context.WithTimeout(ctx, time.Hour)
		go func() { <-ctx.Done(); released <- ctx.Err() }()
		go func() { defer cancel(); <-derived.Done(); released <- derived.Err() }()
		if err := ctx.Err(); err != nil {
			return err
		}
		return kk.Text(c, "ok")
	}}
	srv := &kk.Server{Listener: loopback(t), Router: kk.New(table(handlers)), Logger: slog.New(slog.DiscardHandler)}
	startRun(t, srv)
	if st, body, _ := send(t, http.DefaultClient, "GET", url(srv, "/items/x"), nil); st != 200 || body != "ok" {
		t.Fatalf("GET = %d %q", st, body)
	}
	for range 2 {
		select {
		case err := <-released:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("context after the handler returned: %v, want context.Canceled", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the request context was not cancelled when the handler returned")
		}
	}
}

// ctxReader yields n chunks, each read only while its context is alive:
// an object store's body or a database cursor read with the request's
// context.
type ctxReader struct {
	ctx    context.Context
	n      int
	closed chan struct{}
}

func (r *ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	if r.n == 0 {
		return 0, io.EOF
	}
	r.n--
	return copy(p, "chunk\n"), nil
}

func (r *ctxReader) Close() error { close(r.closed); return nil }

// TestRequestContextLastsWhileStreaming: an io.Reader result that reads
// with the request's context streams to the end (the handler has
// returned, but its body is still being sent), and the context is
// cancelled once the body is sent.
func TestRequestContextLastsWhileStreaming(t *testing.T) {
	const chunks = 2000 // more than one write's worth, so streaming runs after the handler
	ctxs := make(chan context.Context, 1)
	closed := make(chan struct{})
	handlers := map[string]kk.Handler{"GetItem": func(c *kk.Ctx) error {
		ctx := c.Context()
		ctxs <- ctx
		return kk.Stream(c, &ctxReader{ctx: ctx, n: chunks, closed: closed})
	}}
	srv := &kk.Server{Listener: loopback(t), Router: kk.New(table(handlers)), Logger: slog.New(slog.DiscardHandler)}
	startRun(t, srv)
	st, body, _ := send(t, http.DefaultClient, "GET", url(srv, "/items/x"), nil)
	if want := strings.Repeat("chunk\n", chunks); st != 200 || body != want {
		t.Fatalf("streamed body: %d, %d bytes, want 200 and %d", st, len(body), len(want))
	}
	ctx := <-ctxs
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the result was not closed once sent")
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the request context was not cancelled once the body was sent")
	}
}
