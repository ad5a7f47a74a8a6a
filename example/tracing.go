package main

import (
	"context"
	"io"

	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

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

// tracing is the API router's tracing middleware on tp. The metrics are
// Prometheus's (metrics.go), so OpenTelemetry's are off.
func tracing(tp trace.TracerProvider) kk.Middleware {
	return otelkk.Middleware(otelkk.Config{TracerProvider: tp, MeterProvider: noop.NewMeterProvider()})
}
