// Package otelkk traces and measures kk requests with OpenTelemetry.
//
//	r := api.NewRouter(...)
//	r.Use(otelkk.Middleware(otelkk.Config{}))
//
// Each request gets a server span named after its method and route
// pattern ("GET /users/:id", from the generated route table, so names and
// the http.route attribute stay few whatever the paths), continued from
// the W3C trace context (traceparent, tracestate) and baggage of the
// request's headers, and recorded in the HTTP server metrics of the
// OpenTelemetry semantic conventions (http.server.request.duration,
// http.server.active_requests, http.server.request.body.size,
// http.server.response.body.size). A WebSocket or an event stream is one
// span from its request to its end, not one per message.
//
// Query strings and full URLs carry tokens and personal data: url.query
// and url.full are recorded only when Config asks for them, and nothing
// naming a user is recorded at all (a handler that wants it adds it to
// trace.SpanFromContext(c)). client.address is the client's IP as
// Ctx.ClientIP works it out, believing only trusted proxies.
//
// The package is apart from kk so that a program that does not import it
// does not link OpenTelemetry.
package otelkk

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
	"go.opentelemetry.io/otel/trace"

	kk "github.com/kommandkit/kk/runtime"
)

// ScopeName is the instrumentation scope of the tracer and meter.
const ScopeName = "github.com/kommandkit/kk/otelkk"

// Config configures Middleware. The zero value uses OpenTelemetry's
// global providers and propagator (otel.SetTracerProvider and friends).
type Config struct {
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider
	Propagators    propagation.TextMapPropagator

	// RecordQuery adds url.query to spans and RecordFullURL adds url.full
	// (scheme, host, path and query). Both are off: query strings carry
	// tokens and personal data.
	RecordQuery   bool
	RecordFullURL bool

	// Filter, when set, leaves out requests it returns false for (health
	// checks, the metrics endpoint): no span and no measurement.
	Filter func(c *kk.Ctx) bool
}

// Middleware traces and measures every request it wraps. Install it with
// Router.Use, first, so that its span covers the other middleware and
// its measurements see every request, 404s and 405s included.
func Middleware(cfg Config) kk.Middleware {
	tp, mp, prop := cfg.TracerProvider, cfg.MeterProvider, cfg.Propagators
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	if prop == nil {
		prop = otel.GetTextMapPropagator()
	}
	m := &mw{cfg: cfg, prop: prop,
		tracer: tp.Tracer(ScopeName, trace.WithSchemaURL(semconv.SchemaURL)),
	}
	meter := mp.Meter(ScopeName, metric.WithSchemaURL(semconv.SchemaURL))
	var err error
	if m.duration, err = httpconv.NewServerRequestDuration(meter); err != nil {
		otel.Handle(err)
	}
	if m.active, err = httpconv.NewServerActiveRequests(meter); err != nil {
		otel.Handle(err)
	}
	if m.reqSize, err = httpconv.NewServerRequestBodySize(meter); err != nil {
		otel.Handle(err)
	}
	if m.respSize, err = httpconv.NewServerResponseBodySize(meter); err != nil {
		otel.Handle(err)
	}
	return m.wrap
}

type mw struct {
	cfg      Config
	prop     propagation.TextMapPropagator
	tracer   trace.Tracer
	duration httpconv.ServerRequestDuration
	active   httpconv.ServerActiveRequests
	reqSize  httpconv.ServerRequestBodySize
	respSize httpconv.ServerResponseBodySize

	// The attribute sets of measurements, by what they are made of: a
	// server sees few routes, methods and statuses, so each set is built
	// once and a request measures without allocating one.
	sets sync.Map // setKey -> metric.MeasurementOption
}

type setKey struct {
	route  *kk.Route
	method string // a known method, or "_OTHER"
	https  bool
	status int // 0: the active-requests set (no route or status)
}

func (m *mw) wrap(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		if m.cfg.Filter != nil && !m.cfg.Filter(c) {
			return next(c)
		}
		start := time.Now()
		method := knownMethod(c.Method())
		https := c.Scheme() == "https"
		route := c.Route()
		ctx := m.prop.Extract(c.Context(), headerCarrier{&c.Request.Header})
		ctx, span := m.tracer.Start(ctx, spanName(method, route), trace.WithSpanKind(trace.SpanKindServer),
			trace.WithTimestamp(start), trace.WithAttributes(m.requestAttrs(c, method, https, route)...))
		activeSet := m.set(setKey{method: method, https: https})
		m.active.Inst().Add(ctx, 1, activeSet)
		sessionStatus := 0                   // the handshake's status, once the request became a session
		kk.AfterSession(c, func(err error) { // a WebSocket or an event stream ends
			m.end(ctx, span, route, method, https, sessionStatus, err, start, 0, 0, activeSet)
		})
		saved := c.Context()
		c.SetContext(ctx)
		returned := false
		defer func() {
			c.SetContext(saved)
			if !returned { // a panic, which the router answers with 500
				span.SetAttributes(attribute.Bool("exception.escaped", true))
				m.end(ctx, span, route, method, https, 500, errPanic, start, len(c.Request.Body()), 0, activeSet)
			}
		}()
		err := next(c)
		returned = true
		if c.Hijacked() {
			// The session's end ends the span (AfterSession). It starts
			// after the whole chain has returned, so it sees this write.
			sessionStatus = c.Response.StatusCode()
			return err
		}
		status := c.Response.StatusCode()
		if err != nil {
			status = c.Router().StatusOf(err)
		}
		m.end(ctx, span, route, method, https, status, err, start, len(c.Request.Body()), len(c.Response.Body()), activeSet)
		return err
	}
}

// errPanic is a panic's error on its span; the router logs the panic.
var errPanic = errors.New("handler panic")

// end closes the span and records the measurements of one request.
func (m *mw) end(ctx context.Context, span trace.Span, route *kk.Route, method string, https bool,
	status int, err error, start time.Time, reqBytes, respBytes int, activeSet metric.MeasurementOption) {
	if status != 0 {
		span.SetAttributes(semconv.HTTPResponseStatusCode(status))
	}
	if status >= 500 || (err != nil && status == 0) {
		errType := strconv.Itoa(status)
		if status == 0 {
			errType = "_OTHER"
		}
		span.SetAttributes(semconv.ErrorTypeKey.String(errType))
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		span.SetStatus(codes.Error, msg)
	}
	end := time.Now()
	span.End(trace.WithTimestamp(end))
	set := m.set(setKey{route: route, method: method, https: https, status: status})
	m.duration.Inst().Record(ctx, end.Sub(start).Seconds(), set)
	m.reqSize.Inst().Record(ctx, int64(reqBytes), set)
	m.respSize.Inst().Record(ctx, int64(respBytes), set)
	m.active.Inst().Add(ctx, -1, activeSet)
}

// set is the measurement option for k, built the first time.
func (m *mw) set(k setKey) metric.MeasurementOption {
	if o, ok := m.sets.Load(k); ok {
		return o.(metric.MeasurementOption)
	}
	scheme := "http"
	if k.https {
		scheme = "https"
	}
	attrs := []attribute.KeyValue{semconv.HTTPRequestMethodKey.String(k.method), semconv.URLScheme(scheme)}
	if k.status != 0 || k.route != nil {
		attrs = append(attrs, semconv.NetworkProtocolName("http"), semconv.NetworkProtocolVersion("1.1"))
	}
	if k.route != nil {
		attrs = append(attrs, semconv.HTTPRoute(k.route.Pattern))
	}
	if k.status != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(k.status))
		if k.status >= 500 {
			attrs = append(attrs, semconv.ErrorTypeKey.String(strconv.Itoa(k.status)))
		}
	}
	o, _ := m.sets.LoadOrStore(k, metric.WithAttributeSet(attribute.NewSet(attrs...)))
	return o.(metric.MeasurementOption)
}

// requestAttrs are the span's attributes known at its start.
func (m *mw) requestAttrs(c *kk.Ctx, method string, https bool, route *kk.Route) []attribute.KeyValue {
	scheme := "http"
	if https {
		scheme = "https"
	}
	attrs := make([]attribute.KeyValue, 0, 12)
	attrs = append(attrs, semconv.HTTPRequestMethodKey.String(method),
		semconv.URLPath(string(c.Path())), semconv.URLScheme(scheme),
		semconv.NetworkProtocolVersion("1.1"))
	if method == "_OTHER" {
		attrs = append(attrs, semconv.HTTPRequestMethodOriginal(string(c.Method())))
	}
	if route != nil {
		attrs = append(attrs, semconv.HTTPRoute(route.Pattern))
	}
	host, port := splitHost(string(c.Host()), https)
	if host != "" {
		attrs = append(attrs, semconv.ServerAddress(host))
		if port > 0 {
			attrs = append(attrs, semconv.ServerPort(port))
		}
	}
	if ip := c.ClientIP(); ip.IsValid() {
		attrs = append(attrs, semconv.ClientAddress(ip.String()))
	}
	if ua := c.Request.Header.UserAgent(); len(ua) > 0 {
		attrs = append(attrs, semconv.UserAgentOriginal(string(ua)))
	}
	if q := c.URI().QueryString(); m.cfg.RecordQuery && len(q) > 0 {
		attrs = append(attrs, semconv.URLQuery(string(q)))
	}
	if m.cfg.RecordFullURL {
		full := scheme + "://" + string(c.Host()) + string(c.RequestURI())
		attrs = append(attrs, semconv.URLFull(full))
	}
	return attrs
}

// spanName is "METHOD /pattern", or the method alone when no route
// matched (a 404 or a 405), as the semantic conventions ask.
func spanName(method string, route *kk.Route) string {
	if route == nil {
		return method
	}
	if method == "_OTHER" {
		return "HTTP " + route.Pattern
	}
	return method + " " + route.Pattern
}

// knownMethod is the method as the semantic conventions record it: one
// of the standard methods, else "_OTHER" (so that made-up methods do not
// make new series).
func knownMethod(m []byte) string {
	switch string(m) {
	case "GET":
		return "GET"
	case "HEAD":
		return "HEAD"
	case "POST":
		return "POST"
	case "PUT":
		return "PUT"
	case "PATCH":
		return "PATCH"
	case "DELETE":
		return "DELETE"
	case "OPTIONS":
		return "OPTIONS"
	case "CONNECT":
		return "CONNECT"
	case "TRACE":
		return "TRACE"
	case "QUERY":
		return "QUERY"
	}
	return "_OTHER"
}

// splitHost splits a Host header into its name and port, the port being
// the scheme's default when absent.
func splitHost(h string, https bool) (string, int) {
	port := 80
	if https {
		port = 443
	}
	if h == "" {
		return "", 0
	}
	i := len(h) - 1
	for i >= 0 && h[i] >= '0' && h[i] <= '9' {
		i--
	}
	if i >= 0 && i < len(h)-1 && h[i] == ':' && (h[0] != '[' || h[i-1] == ']') {
		if p, err := strconv.Atoi(h[i+1:]); err == nil {
			port = p
		}
		h = h[:i]
	}
	if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
		h = h[1 : len(h)-1]
	}
	return h, port
}
