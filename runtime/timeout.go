package kk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// Timeout gives the handler a context deadline d from now (through
// *kk.Ctx and a context.Context parameter alike). If the deadline has
// passed when the handler returns, whatever the chain inside Timeout wrote
// is discarded, headers included (a cookie, an ETag or a Location meant
// for the late answer), and the answer is 503; what middleware outside it
// had set before (a request ID, CORS or security headers) stays. The
// timeout is cooperative: a handler that ignores its context runs to the
// end, and only then is turned into a 503.
func Timeout(d time.Duration) Middleware {
	return func(next Handler) Handler {
		return func(c *Ctx) error {
			before := headerSnapshots.Get().(*fasthttp.ResponseHeader)
			defer headerSnapshots.Put(before)
			c.Response.Header.CopyTo(before)
			saved := c.ctx
			ctx, cancel := context.WithTimeout(c.Context(), d)
			c.ctx = ctx
			err := next(c)
			timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
			cancel()
			c.ctx = saved
			if timedOut {
				c.Response.Reset()
				before.CopyTo(&c.Response.Header)
				return &StatusError{Status: fasthttp.StatusServiceUnavailable,
					Msg: fmt.Sprintf("%s %s: handler passed its %v timeout", c.Method(), c.Path(), d), Err: err}
			}
			return err
		}
	}
}

// headerSnapshots holds the response headers as Timeout found them, to
// put back over a late answer.
var headerSnapshots = sync.Pool{New: func() any { return new(fasthttp.ResponseHeader) }}
