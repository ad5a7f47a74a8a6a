//kk:group /g use=Outer,Inner
package chain

import (
	"context"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

func record(c *kk.Ctx) {
	in := "handler"
	if _, ok := c.Deadline(); ok {
		in += "+deadline"
	}
	c.Response.Header.Add("X-In", in)
}

//kk:route GET /all
//kk:use One Two Route
//kk:timeout 50ms
func All(c *kk.Ctx, sleep int) (string, error) {
	record(c)
	select {
	case <-time.After(time.Duration(sleep) * time.Millisecond):
		return "all", nil
	case <-c.Done():
		return "", c.Err()
	}
}

// Two routes of one func share the chain; //kk:use order is kept even
// when it differs from the declaration order.
//
//kk:route GET /rev
//kk:route POST /rev
//kk:use Two Route
//kk:use Deny One
func Rev(c *kk.Ctx) string {
	record(c)
	return "rev"
}

//kk:route GET /group-only
func GroupOnly(c *kk.Ctx) string {
	record(c)
	return "group-only"
}

// A context.Context parameter sees the timeout's deadline too.
//
//kk:route GET /ctx
//kk:timeout 1h
func Ctx(ctx context.Context) bool {
	_, ok := ctx.Deadline()
	return ok
}
