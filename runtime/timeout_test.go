package kk_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// TestTimeout: the handler's context (c and c.Context() alike) carries
// the deadline; a handler that returns after it answers 503 with the
// problem body, whatever it wrote or returned; one that returns before it
// keeps its answer. The late handlers' deadline is 1 ms and they wait for
// it; the one in time has a minute and does not wait.
func TestTimeout(t *testing.T) {
	var sawErr, sawCtxErr error
	var hadDeadline bool
	router := func(d time.Duration) *kk.Router {
		r := kk.New(table(map[string]kk.Handler{
			"Hello": func(c *kk.Ctx) error { // in time
				_, hadDeadline = c.Deadline()
				return kk.Text(c, "in time")
			},
			"GetItem": func(c *kk.Ctx) error { // waits for its deadline, then writes anyway
				<-c.Context().Done()
				sawErr, sawCtxErr = c.Err(), c.Context().Err()
				return kk.Text(c, "too late")
			},
			"Fail": func(c *kk.Ctx) error { // waits, then fails with its own error
				<-c.Done()
				return kk.Error(400, "its own error")
			},
		}))
		r.SetLogger(slog.New(slog.DiscardHandler)) // the 503s are logged
		r.Use(kk.Timeout(d))
		return r
	}

	resp := kktest.Do(router(time.Minute), "GET", "/hello")
	if resp.StatusCode() != 200 || string(resp.Body()) != "in time" || !hadDeadline {
		t.Errorf("in time: %d %q (deadline set: %v); want 200 \"in time\" with a deadline", resp.StatusCode(), resp.Body(), hadDeadline)
	}
	r := router(time.Millisecond)
	resp = kktest.Do(r, "GET", "/items/1")
	if resp.StatusCode() != 503 || string(resp.Body()) != `{"type":"about:blank","title":"Service Unavailable","status":503}` {
		t.Errorf("late: %d %s; want 503 with the problem body only", resp.StatusCode(), resp.Body())
	}
	if !errors.Is(sawErr, context.DeadlineExceeded) || !errors.Is(sawCtxErr, context.DeadlineExceeded) {
		t.Errorf("the handler saw c.Err() = %v, c.Context().Err() = %v; want DeadlineExceeded", sawErr, sawCtxErr)
	}
	if resp = kktest.Do(r, "GET", "/fail"); resp.StatusCode() != 503 {
		t.Errorf("late with its own 400: %d %s; want 503", resp.StatusCode(), resp.Body())
	}
}

// TestTimeoutDiscardsHeaders: a late answer is discarded whole, headers
// included (a cookie, an ETag, a Location, its Content-Type must not go
// out on the 503), but what middleware outside Timeout set before it (the
// request ID) stays on it.
func TestTimeoutDiscardsHeaders(t *testing.T) {
	r := kk.New(table(map[string]kk.Handler{
		"GetItem": func(c *kk.Ctx) error {
			<-c.Context().Done()
			c.Response.Header.Set("Set-Cookie", "session=late")
			c.Response.Header.Set("ETag", `"late"`)
			c.Response.Header.Set("Location", "/elsewhere")
			return kk.Text(c, "too late")
		},
	}))
	r.SetLogger(slog.New(slog.DiscardHandler))
	r.Use(kk.RequestID(), kk.Timeout(time.Millisecond))
	resp := kktest.Do(r, "GET", "/items/1")
	if resp.StatusCode() != 503 {
		t.Fatalf("status %d, want 503", resp.StatusCode())
	}
	for _, h := range []string{"Set-Cookie", "ETag", "Location"} {
		if v := resp.Header.Peek(h); len(v) > 0 {
			t.Errorf("the late answer's %s: %s went out on the 503", h, v)
		}
	}
	if ct := string(resp.Header.ContentType()); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	if id := resp.Header.Peek(kk.RequestIDHeader); len(id) == 0 {
		t.Error("the request ID was dropped with the late answer")
	}
}
