// Command example is a small users-and-todos service on a kk router: an
// in-memory store, handlers that are methods of types holding their
// dependencies (service.go), annotated with //kk:route, and the kk_gen.go
// that kkgen writes from them. One process runs two servers through
// kk.Run: the public API, and an admin server on loopback (package admin:
// health, stats, metrics) with tighter limits of its own.
//
//	go run ./example                # API on :8080, admin on 127.0.0.1:9090
//	PORT=9000 go run ./example      # API on :9000
//	go run ./example -addr 127.0.0.1:9000 -admin-addr 127.0.0.1:9191
//	ADMIN_ADDR=off go run ./example # no admin server
//	go run ./example -debug         # also serve /debug/panic, /debug/fail, /debug/sleep
//	go run ./example -trace         # print an OpenTelemetry span per API request to stderr
//
// When the default admin port is taken the API runs alone, with a warning;
// an admin address given by flag or ADMIN_ADDR that cannot be had is an
// error.
//
// On SIGINT or SIGTERM it fails its readiness probe (GET /readyz, 503),
// waits DRAIN_DELAY (0 unless set; "10s" behind a load balancer) or for
// another signal, then shuts both servers down gracefully and exits 0
// (readiness.go).
//
// A chat over WebSockets is at /chat (chat.go): rooms at
// /rooms/:room/ws, a kk.Hub per room.
//
// The API lives under /api/v1 (users.go and todos.go). Reads are open;
// writes need "Authorization: Bearer $API_TOKEN" (dev-token when API_TOKEN
// is unset):
//
//	curl -i localhost:8080/api/v1/users
//	curl -i -H 'Authorization: Bearer dev-token' -H 'Content-Type: application/json' \
//		-d '{"name":"ada","email":"ada@example.com"}' localhost:8080/api/v1/users
//	curl -s 127.0.0.1:9090/metrics # Prometheus: request histograms by route, method, status
package main

//go:generate go run ../cmd/kkgen -openapi api/openapi.json -title "kk example" -version 1.0.0 -client client -ts client.ts
//go:generate go run ../cmd/kkgen -openapi api/openapi-3.0.json -openapi-version 3.0 -title "kk example" -version 1.0.0
//go:generate go run ../cmd/kkgen -openapi api/openapi-3.2.json -openapi-version 3.2 -title "kk example" -version 1.0.0

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/kommandkit/kk/bus"
	"github.com/kommandkit/kk/example/admin"
	"github.com/kommandkit/kk/promkk"
	kk "github.com/kommandkit/kk/runtime"
)

func main() {
	// The program owns its signals: kk.Run stops on its context only.
	stop, release := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(stop, os.Args[1:], os.Getenv, os.Stderr)
	release()
	os.Exit(code)
}

// run is main without the process: it parses args, then serves until stop
// is done (main's first SIGINT or SIGTERM), fails /readyz for the drain
// delay, and shuts the servers down. It returns the exit code: 0 after a
// clean shutdown.
func run(stop context.Context, args []string, getenv func(string) string, stderr io.Writer) int {
	cfg, err := parseFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	slog.SetDefault(logger)
	delay, err := drainDelay(getenv) // readiness.go
	if err != nil {
		logger.Error("configuration", "err", err)
		return 2
	}
	var tracer trace.TracerProvider
	if cfg.trace {
		tp, stop, err := newTracer(stderr) // tracing.go
		if err != nil {
			logger.Error("tracing", "err", err)
			return 1
		}
		defer stop()
		tracer = tp
	}
	var busOpts []bus.Option
	if tracer != nil {
		busOpts = append(busOpts, busTracing(tracer)) // tracing.go: trace context through the bus
	}
	b, stopBus, err := openBus(cfg.bus, logger, busOpts...) // events.go
	if err != nil {
		logger.Error("event bus", "err", err)
		return 1
	}
	defer stopBus()
	svc := newService(deps{ // service.go
		Tracer:  tracer,
		Store:   NewStore(),
		Bus:     b,
		Token:   cmp.Or(getenv("API_TOKEN"), "dev-token"),
		Debug:   cfg.debug,
		Process: processName(),
	})
	if err := svc.consume(b); err != nil {
		logger.Error("event bus", "err", err)
		return 1
	}
	servers, err := newServers(cfg, svc, logger)
	if err != nil {
		logger.Error("serve", "err", err)
		return 1
	}
	var ready readiness // readiness.go: GET /readyz on every server
	for _, s := range servers {
		s.Router.Use(ready.probe)
	}
	ctx, cancel := drainAfter(stop, &ready, delay, logger)
	defer cancel()
	if err := kk.Run(ctx, servers...); err != nil {
		logger.Error("serve", "err", err)
		return 1
	}
	logger.Info("stopped")
	return 0
}

// defaultAdminAddr is where the admin server listens unless told otherwise.
const defaultAdminAddr = "127.0.0.1:9090"

// config is what the command line and environment choose.
type config struct {
	addr          string // the API's address
	adminAddr     string // the admin server's, or "off"
	adminExplicit bool   // adminAddr came from -admin-addr or ADMIN_ADDR
	debug         bool   // -debug: serve the debug routes
	trace         bool   // -trace: print each API request's span to stderr
	bus           busFlags
}

// parseFlags reads the flags: -addr (else :$PORT, else :8080) and
// -admin-addr (else $ADMIN_ADDR, else 127.0.0.1:9090; "off" for none).
func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	def := ":8080"
	if port := getenv("PORT"); port != "" {
		def = ":" + port
	}
	adminDef, explicit := defaultAdminAddr, false
	if a := getenv("ADMIN_ADDR"); a != "" {
		adminDef, explicit = a, true
	}
	fs := flag.NewFlagSet("example", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", def, "listen `address` of the API; defaults to :$PORT when PORT is set")
	adminAddr := fs.String("admin-addr", adminDef, "listen `address` of the admin server (health, stats, metrics), or off; defaults to $ADMIN_ADDR when set")
	debug := fs.Bool("debug", false, "serve /debug/panic, /debug/fail and /debug/sleep on the API, to try out kk's error handling (never in production)")
	trace := fs.Bool("trace", false, "print an OpenTelemetry span per API request to stderr (the stdout exporter)")
	bus := addBusFlags(fs, getenv) // -nats, -nats-embed: events.go
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected arguments %q", fs.Args())
		fmt.Fprintln(stderr, "example:", err)
		return config{}, err
	}
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "admin-addr" })
	return config{addr: *addr, adminAddr: *adminAddr, adminExplicit: explicit, debug: *debug, trace: *trace, bus: *bus}, nil
}

// newServers is the API server and, unless it is off or its default port
// is taken, the admin server. The admin server has tight limits: it serves
// a few small GETs to operators, and must never compete with the API.
func newServers(cfg config, svc *service, logger *slog.Logger) ([]*kk.Server, error) {
	api := &kk.Server{Addr: cfg.addr, Router: svc.router(logger), Logger: logger}
	if cfg.adminAddr == "off" || cfg.adminAddr == "" {
		return []*kk.Server{api}, nil
	}
	ln, err := net.Listen("tcp", cfg.adminAddr)
	if err != nil {
		if cfg.adminExplicit {
			return nil, fmt.Errorf("admin server: %w", err)
		}
		logger.Warn("admin server not started; set -admin-addr or ADMIN_ADDR (off for none)", "err", err)
		return []*kk.Server{api}, nil
	}
	return []*kk.Server{api, newAdminServer(ln, api, svc, logger)}, nil
}

// newAdminServer is the admin server on ln, reporting on api and what the
// service counts and measures.
func newAdminServer(ln net.Listener, api *kk.Server, svc *service, logger *slog.Logger) *kk.Server {
	m := svc.monitor
	svc.metrics.watch(api, m.Store) // metrics.go
	r := admin.New(admin.Source{API: api, Requests: m.Requests.snapshot, Counts: m.Store.Counts, Started: time.Now(),
		Prometheus: promkk.Handler(svc.metrics.reg)})
	r.SetLogger(logger)
	r.Use(kk.AccessLogLevels(logger, kk.AccessLevels{Success: slog.LevelDebug, ClientError: slog.LevelWarn, ServerError: slog.LevelError}))
	return &kk.Server{
		Listener: ln, Router: r, Logger: logger,
		MaxBodySize: 64 << 10, Concurrency: 8, MaxConns: 64,
		ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second, IdleTimeout: 30 * time.Second,
		ShutdownTimeout: 2 * time.Second,
	}
}
