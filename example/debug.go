//kk:group /
package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// Panic is a handler that panics, to show that a panic answers 500 and the
// server keeps serving.
//
//kk:route GET /debug/panic
func Panic() string { panic("debug: deliberate panic") }

// Fail returns an error that maps to no status: it answers 500, is logged,
// and its message, which may hold internals, never reaches the client.
//
//kk:route GET /debug/fail
func Fail() error {
	return errors.New("debug: dial tcp 10.0.0.7:5432: password authentication failed for user \"admin\"")
}

// Sleep waits ?ms= milliseconds, standing in for slow work. //kk:timeout
// gives its context a deadline 250ms away: when the deadline passes first
// the answer is 503, whatever the handler returns.
//
//kk:route GET /debug/sleep
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
