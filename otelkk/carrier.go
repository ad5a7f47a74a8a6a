package otelkk

import (
	"github.com/valyala/fasthttp"
)

// headerCarrier lets a propagator read a request's headers (traceparent,
// tracestate, baggage) without copying them into an http.Header.
type headerCarrier struct{ h *fasthttp.RequestHeader }

func (c headerCarrier) Get(key string) string { return string(c.h.Peek(key)) }

func (c headerCarrier) Set(key, value string) { c.h.Set(key, value) }

func (c headerCarrier) Keys() []string {
	var keys []string
	for k := range c.h.All() {
		keys = append(keys, string(k))
	}
	return keys
}
