// Command kkmw serves the end-to-end workload as the kk server does, with
// the production middleware named in $KKMW (comma-separated), to measure
// what each costs per request (docs/production.md):
//
//	accesslog  kk.RequestID and kk.AccessLog to a JSON logger that discards
//	otel       otelkk.Middleware on the OpenTelemetry SDK, every request
//	           sampled, spans batched to an exporter that drops them, the
//	           duration histogram aggregated for a reader
//	otelall    otel with AllMetrics
//	oteltrace, otelmetrics: otel with the SDK for traces only, metrics only
//	otelsampled  otel, traces sampled at 1% (parent-based)
//	otelnoop   otel on the no-op providers: the middleware's own work
//	prom       promkk's Middleware on a registry of its own
//	ratelimit  kk.RateLimit by client IP, never reached
//	proxy      TrustedProxies holding loopback, and kk.RateLimit keyed by
//	           the forwarded client IP (the driver sends no header)
//
//	KKMW=otel bench/e2e/run.sh -icount 5000 -servers kk,kkmw -workloads plaintext
package main

import (
	"context"
	"flag"
	"io"
	"log"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/kommandkit/kk/bench/e2e/servers/kk/api"
	"github.com/kommandkit/kk/otelkk"
	"github.com/kommandkit/kk/promkk"
	kk "github.com/kommandkit/kk/runtime"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	r := api.NewRouter()
	s := &kk.Server{Addr: *addr, Router: r}
	for _, mw := range strings.Split(os.Getenv("KKMW"), ",") {
		switch mw {
		case "":
		case "accesslog":
			r.Use(kk.RequestID(), kk.AccessLog(slog.New(slog.NewJSONHandler(io.Discard, nil))))
		case "otel", "otelall", "oteltrace", "otelsampled", "otelmetrics", "otelnoop":
			var tp trace.TracerProvider = tracenoop.NewTracerProvider()
			var mp metric.MeterProvider = metricnoop.NewMeterProvider()
			sdkTraces := sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter()))
			sdkMetrics := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
			switch mw {
			case "otel", "otelall":
				tp, mp = sdkTraces, sdkMetrics
			case "oteltrace":
				tp = sdkTraces
			case "otelsampled":
				tp = sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter()),
					sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(0.01))))
				mp = sdkMetrics
			case "otelmetrics":
				mp = sdkMetrics
			}
			r.Use(otelkk.Middleware(otelkk.Config{TracerProvider: tp, MeterProvider: mp, AllMetrics: mw == "otelall"}))
		case "prom":
			r.Use(promkk.New(promkk.Config{Registerer: prometheus.NewRegistry()}).Middleware())
		case "ratelimit":
			r.Use(kk.RateLimit(kk.RateLimitConfig{Rate: 1e9, Burst: 1e9}))
		case "proxy":
			s.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
			r.Use(kk.RateLimit(kk.RateLimitConfig{Rate: 1e9, Burst: 1e9}))
		default:
			log.Fatalf("kkmw: unknown middleware %q in $KKMW", mw)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := kk.Run(ctx, s); err != nil {
		log.Fatal(err)
	}
}
