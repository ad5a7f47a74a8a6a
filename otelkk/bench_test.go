package otelkk_test

import (
	"testing"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/kommandkit/kk/otelkk"
	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// BenchmarkMiddleware is a request through the middleware, in process:
// on the no-op providers (the middleware's own work), with the SDK's
// tracer (every span recorded, batched to an exporter that drops it) and
// with the SDK's meter.
func BenchmarkMiddleware(b *testing.B) {
	for _, bc := range []struct {
		name string
		cfg  otelkk.Config
	}{
		{"off", otelkk.Config{}},
		{"noop", otelkk.Config{TracerProvider: tracenoop.NewTracerProvider(), MeterProvider: metricnoop.NewMeterProvider()}},
		{"trace", otelkk.Config{TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter())),
			MeterProvider: metricnoop.NewMeterProvider()}},
		{"metrics", otelkk.Config{TracerProvider: tracenoop.NewTracerProvider(),
			MeterProvider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := kk.New(testTable(nil))
			if bc.name != "off" {
				r.Use(otelkk.Middleware(bc.cfg))
			}
			req := kktest.NewRequest("GET", "/items/42", nil)
			req.Header.Set("User-Agent", "bench")
			b.ReportAllocs()
			for b.Loop() {
				kktest.Serve(r, req)
			}
		})
	}
}
