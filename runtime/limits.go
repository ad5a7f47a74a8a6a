package kk

import (
	"encoding/json"
	"time"

	"github.com/valyala/fasthttp"
)

// limit wraps a server's handler with its per-request accounting: the
// count of requests in their handlers (Stats, the shutdown log) and the
// Concurrency cap. Past the cap a request is answered 503 at once rather
// than queued: a queue without bound only turns overload into latency and
// memory, and a client told to retry can go to another instance.
func (s *Server) limit(next fasthttp.RequestHandler) fasthttp.RequestHandler {
	limit := int64(s.Concurrency)
	return func(rc *fasthttp.RequestCtx) {
		n := s.inflight.Add(1)
		defer s.inflight.Add(-1)
		if limit > 0 && n > limit {
			s.rejected.Add(1)
			busy(rc)
			return
		}
		next(rc)
		if s.cut.Load() {
			s.log().Warn("kk: request finished after the shutdown deadline; its connection had been closed",
				"addr", s.ln.Addr().String(), "method", string(rc.Method()), "path", string(rc.Path()),
				"running", time.Since(rc.Time()).Round(time.Millisecond))
		}
	}
}

// busyBody is the 503 problem a request past Concurrency gets.
var busyBody, _ = json.Marshal(Problem{
	Type: "about:blank", Title: fasthttp.StatusMessage(fasthttp.StatusServiceUnavailable),
	Status: fasthttp.StatusServiceUnavailable,
	Detail: "the server is handling as many requests as it may at once; retry shortly",
})

func busy(rc *fasthttp.RequestCtx) {
	rc.Response.Reset()
	rc.SetStatusCode(fasthttp.StatusServiceUnavailable)
	rc.Response.Header.Set(fasthttp.HeaderRetryAfter, "1")
	rc.SetContentType("application/problem+json")
	rc.SetBody(busyBody)
}
