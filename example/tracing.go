package main

import (
	"context"
	"io"

	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/kommandkit/kk/bus"
	"github.com/kommandkit/kk/otelkk"
	kk "github.com/kommandkit/kk/runtime"
)

// newTracer is the tracer of -trace: every API request's span written to
// w as JSON, with OpenTelemetry's stdout exporter (a real deployment
// exports to a collector with OTLP instead). stop flushes and closes it.
func newTracer(w io.Writer) (tp trace.TracerProvider, stop func(), err error) {
	exp, err := stdouttrace.New(stdouttrace.WithWriter(w))
	if err != nil {
		return nil, nil, err
	}
	sdk := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	return sdk, func() { _ = sdk.Shutdown(context.Background()) }, nil
}

// w3c is how the example's traces travel, in HTTP requests and bus
// messages: W3C Trace Context and Baggage. (otelkk's default is
// OpenTelemetry's global propagator, which does nothing until a program
// sets one.)
var w3c = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})

// tracing is the API router's tracing middleware on tp. The metrics are
// Prometheus's (metrics.go), so OpenTelemetry's are off.
func tracing(tp trace.TracerProvider) kk.Middleware {
	return otelkk.Middleware(otelkk.Config{TracerProvider: tp, MeterProvider: noop.NewMeterProvider(), Propagators: w3c})
}

// busTracing carries the trace context of the API's requests through the
// bus to its consumers, with a span for each publish and each delivery.
func busTracing(tp trace.TracerProvider) bus.Option {
	return bus.WithHook(otelkk.BusHook(otelkk.BusConfig{TracerProvider: tp, Propagators: w3c}))
}
