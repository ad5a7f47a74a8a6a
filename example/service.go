package main

import (
	"log/slog"

	"go.opentelemetry.io/otel/trace"

	"github.com/kommandkit/kk/bus"
	kk "github.com/kommandkit/kk/runtime"
)

// The service holds no state in package variables: each type whose
// methods are handlers holds what they need in its fields, main builds
// them once from its dependencies, and the generated NewRouter and
// RegisterConsumers take them. A test builds its own, with an empty store
// and a bus of its own, so tests run in parallel without sharing anything.

// deps are what the service is built from.
type deps struct {
	Store   *Store
	Bus     *bus.Bus             // where todo events and chat messages travel
	Token   string               // the bearer token every write must carry
	Debug   bool                 // serve /debug/panic, /debug/fail and /debug/sleep
	Process string               // names this process in the events it publishes
	Tracer  trace.TracerProvider // traces the API's requests (-trace); nil for none
}

// service is the values whose methods serve the routes and consume the
// bus's messages.
type service struct {
	activity *Activity
	auth     *Auth
	chat     *Chat
	monitor  *Monitor
	metrics  *metrics // metrics.go: Prometheus, served by the admin server
	tracer   trace.TracerProvider
	site     *Site
	todos    *Todos
	users    *Users
}

// newService builds the service's handlers around d.
func newService(d deps) *service {
	return &service{
		activity: NewActivity(100),
		auth:     &Auth{Token: d.Token},
		chat:     &Chat{Bus: d.Bus},
		monitor:  &Monitor{Store: d.Store, Requests: newCounter()},
		metrics:  newMetrics(),
		tracer:   d.Tracer,
		site:     &Site{Debug: d.Debug},
		todos:    &Todos{Store: d.Store, Bus: d.Bus, Process: d.Process},
		users:    &Users{Store: d.Store},
	}
}

// consume registers the service's consumers on b, which must be the bus
// it publishes on (deps.Bus).
func (s *service) consume(b *bus.Bus) error { return RegisterConsumers(b, s.activity, s.chat) }

// router is the generated router with the service's router-wide
// middleware, outermost first: a request ID for every request (echoed in
// X-Request-ID), an access log line per request (Info, Warn for a 4xx,
// Error for a 5xx), the per-route counters of /stats, the Prometheus
// series of the admin server's /metrics, then compression of text and
// JSON answers of 1 KiB or more (kk.Compress). Router-wide middleware also sees the 404s and 405s that
// no route serves. Errors and panics are logged to logger too.
func (s *service) router(logger *slog.Logger) *kk.Router {
	r := NewRouter(s.activity, s.auth, s.chat, s.monitor, s.site, s.todos, s.users)
	r.SetLogger(logger)
	if s.tracer != nil {
		r.Use(tracing(s.tracer)) // tracing.go: outermost, so its span covers the rest
	}
	r.Use(kk.RequestID(), kk.AccessLogLevels(logger, kk.StatusLevels()), observe(s.monitor.Requests), s.metrics.http.Middleware(), kk.Compress())
	return r
}
