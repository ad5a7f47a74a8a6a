package otelkk

import (
	"context"

	"go.opentelemetry.io/otel/trace"
)

// spanKey is the key under which OpenTelemetry keeps a context's span
// (trace.ContextWithSpan), learned once by asking trace.SpanFromContext
// and checked. The middleware puts a request's span among the request's
// user values under it, and kk's request contexts answer Value from
// those, so the span reaches the handler (trace.SpanFromContext(c)) with
// no context made per request. nil if the check fails (an OpenTelemetry
// that keeps spans otherwise): the middleware then installs the span's
// context with Ctx.SetContext.
var spanKey = findSpanKey()

func findSpanKey() any {
	spy := &oneValue{Context: context.Background()}
	trace.SpanFromContext(spy)
	if len(spy.asked) != 1 {
		return nil
	}
	span := trace.SpanFromContext(trace.ContextWithRemoteSpanContext(context.Background(),
		trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}})))
	check := &oneValue{Context: context.Background(), key: spy.asked[0], value: span}
	if !trace.SpanFromContext(check).SpanContext().Equal(span.SpanContext()) {
		return nil
	}
	return spy.asked[0]
}

// oneValue is a context holding value under key, as a request's user
// values hold the span, and recording the keys it is asked for.
type oneValue struct {
	context.Context
	key   any
	value any
	asked []any
}

func (c *oneValue) Value(key any) any {
	c.asked = append(c.asked, key)
	if c.key != nil && key == c.key {
		return c.value
	}
	return c.Context.Value(key)
}
