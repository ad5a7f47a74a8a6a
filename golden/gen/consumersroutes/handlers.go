// Package consumersroutes has routes and consumers side by side, and a
// package-level name "bus", so kk_gen.go imports the bus package as kkbus.
package consumersroutes

import (
	"context"
	"sync/atomic"

	kk "github.com/kommandkit/kk/runtime"
)

// bus is the package's own name for something else.
var bus = "the number 42"

// Count is how many pings the consumer handled.
var Count atomic.Int64

//kk:route GET /ping
func Ping(c *kk.Ctx) string { return "pong" }

//kk:consumer pings
func Pinged(ctx context.Context, n int) error {
	Count.Add(int64(n))
	return nil
}

//kk:consumer pings.total
func Total(ctx context.Context, _ struct{}) (int64, error) { return Count.Load(), nil }
