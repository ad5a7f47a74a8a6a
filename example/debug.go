//kk:group /
package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// The debug routes show how kk answers a panic, an internal error and a
// slow handler. They are for trying kk out, never for production: they
// answer only when the service runs with -debug (Site.Debug), and are a
// 404 like any unknown path otherwise.
//
//	go run ./example -debug
//	curl -i localhost:8080/debug/panic

// debugPrefix starts the path of every debug route.
const debugPrefix = "/debug/"

// DebugOnly is the middleware of the debug routes: without -debug they
// answer 404, as if they did not exist.
func (s *Site) DebugOnly(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		if !s.Debug {
			return fmt.Errorf("%s: %w", c.Path(), ErrNotFound)
		}
		return next(c)
	}
}

// Panic is a handler that panics, to show that a panic answers 500 and the
// server keeps serving.
//
//kk:route GET /debug/panic
//kk:use Site.DebugOnly
func Panic() string { panic("debug: deliberate panic") }

// Fail returns an error that maps to no status: it answers 500, is logged,
// and its message, which may hold internals, never reaches the client.
//
//kk:route GET /debug/fail
//kk:use Site.DebugOnly
func Fail() error {
	return errors.New("debug: dial tcp 10.0.0.7:5432: password authentication failed for user \"admin\"")
}

// Sleep waits ?ms= milliseconds, standing in for slow work. //kk:timeout
// gives its context a deadline 250ms away: when the deadline passes first
// the answer is 503, whatever the handler returns.
//
//kk:route GET /debug/sleep
//kk:use Site.DebugOnly
//kk:timeout 250ms
func Sleep(ctx context.Context, ms int) (string, error) {
	if ms < 0 {
		return "", kk.Error(400, "ms must be at least 0")
	}
	select {
	case <-time.After(time.Duration(ms) * time.Millisecond):
		return fmt.Sprintf("slept %dms\n", ms), nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
