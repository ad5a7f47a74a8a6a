package kk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/valyala/fasthttp"
)

// Timeout gives the handler a context deadline d from now (through
// *kk.Ctx and a context.Context parameter alike). If the deadline has
// passed when the handler returns, whatever it wrote is discarded (its
// headers too: a cookie or a Location meant for the late answer; the
// request ID stays) and the answer is 503. The timeout is cooperative: a handler that ignores its
// context runs to the end, and only then is turned into a 503.
func Timeout(d time.Duration) Middleware {
	return func(next Handler) Handler {
		return func(c *Ctx) error {
			saved := c.ctx
			ctx, cancel := context.WithTimeout(c.Context(), d)
			c.ctx = ctx
			err := next(c)
			timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
			cancel()
			c.ctx = saved
			if timedOut {
				discardResponse(c) // router.go: status, headers and body; the request ID stays
				return &StatusError{Status: fasthttp.StatusServiceUnavailable,
					Msg: fmt.Sprintf("%s %s: handler passed its %v timeout", c.Method(), c.Path(), d), Err: err}
			}
			return err
		}
	}
}
