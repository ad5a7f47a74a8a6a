package kk

import (
	"encoding/json"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// limit wraps a server's handler with its per-request accounting: the
// count of requests in their handlers (Stats, the shutdown log) and the
// Concurrency cap. Past the cap a request is answered 503 at once rather
// than queued: a queue without bound only turns overload into latency and
// memory, and a client told to retry can go to another instance.
//
// The cap needs one counter all requests agree on. Without a cap the
// count is spread over padded shards by connection, so that cores serving
// different connections do not fight over one cache line (a shared
// counter tripled the wrapper's cost on two cores; BenchmarkServerLimit).
func (s *Server) limit(next fasthttp.RequestHandler) fasthttp.RequestHandler {
	limit := int64(s.Concurrency)
	if limit <= 0 {
		return func(rc *fasthttp.RequestCtx) {
			shard := &s.active[rc.ConnID()%uint64(len(s.active))]
			shard.Add(1)
			defer shard.Add(-1)
			next(rc)
			if s.stop.passed.Load() {
				s.outlived(rc)
			}
		}
	}
	return func(rc *fasthttp.RequestCtx) {
		n := s.inflight.Add(1)
		defer s.inflight.Add(-1)
		if n > limit {
			s.rejected.Add(1)
			busy(rc)
			return
		}
		next(rc)
		if s.stop.passed.Load() {
			s.outlived(rc)
		}
	}
}

// paddedCount is a counter alone on its cache line.
type paddedCount struct {
	atomic.Int64
	_ [56]byte
}

// inFlight is the number of requests in their handlers now.
func (s *Server) inFlight() int64 {
	n := s.inflight.Load()
	for i := range s.active {
		n += s.active[i].Load()
	}
	return n
}

// outlived logs a request that finished after the shutdown deadline had
// closed its connection.
func (s *Server) outlived(rc *fasthttp.RequestCtx) {
	s.log().Warn("kk: request finished after the shutdown deadline; its connection had been closed",
		"addr", s.ln.Addr().String(), "method", string(rc.Method()), "path", string(rc.Path()),
		"running", time.Since(rc.Time()).Round(time.Millisecond))
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
