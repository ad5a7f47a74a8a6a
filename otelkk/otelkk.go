// Package otelkk traces and measures kk requests with OpenTelemetry.
//
//	r := api.NewRouter(...)
//	r.Use(otelkk.Middleware(otelkk.Config{}))
//
// Each request gets a server span named after its method and route
// pattern ("GET /users/:id", from the generated route table, so names and
// the http.route attribute stay few whatever the paths), continued from
// the W3C trace context (traceparent, tracestate) and baggage of the
// request's headers, and recorded in http.server.request.duration, the
// HTTP server metric of the OpenTelemetry semantic conventions (with
// Config.AllMetrics, also http.server.active_requests and the body-size
// histograms). A WebSocket or an event stream is one
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

	"github.com/kommandkit/kk/internal/cowmap"
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

	// AllMetrics adds, to http.server.request.duration (the stable metric
	// of the conventions), their metrics of development status:
	// http.server.active_requests and the request and response body-size
	// histograms. Each costs about as much per request as the duration.
	AllMetrics bool
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
	m.pool.New = m.newRequest
	meter := mp.Meter(ScopeName, metric.WithSchemaURL(semconv.SchemaURL))
	var err error
	if m.duration, err = httpconv.NewServerRequestDuration(meter); err != nil {
		otel.Handle(err)
	}
	if !cfg.AllMetrics {
		return m.wrap
	}
	m.all = true
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
	all      bool      // AllMetrics: active, reqSize and respSize are made
	pool     sync.Pool // of *request

	// The attribute sets of measurements, by what they are made of: a
	// server sees few routes, methods and statuses, so each set is built
	// once and a request measures without allocating one.
	infos cowmap.Map[routeKey, *routeInfo]
}

func (m *mw) wrap(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		if m.cfg.Filter != nil && !m.cfg.Filter(c) {
			return next(c)
		}
		rq := m.pool.Get().(*request)
		rq.start = time.Now()
		rq.key = routeKey{route: c.Route(), method: methodOf(c.Method()), https: c.Scheme() == "https",
			http10: !c.Request.Header.IsHTTP11()}
		rq.info = m.info(rq.key)
		// The span's parent is c itself unless the request carries a
		// trace context (or baggage) to continue: then it is the
		// request's context, which c cannot be (c's own context methods
		// follow the one SetContext installs: a context derived from c
		// there would ask itself for its values).
		var saved context.Context
		ctx := m.prop.Extract(c, headerCarrier{&c.Request.Header})
		if ctx != context.Context(c) || spanKey == nil {
			saved = c.Context()
			ctx = m.prop.Extract(saved, headerCarrier{&c.Request.Header})
		}
		ctx, rq.span = m.tracer.Start(ctx, rq.info.name, rq.info.start...)
		if rq.span.IsRecording() { // what costs strings only for spans that keep them
			rq.span.SetAttributes(m.requestAttrs(c, rq.key)...)
		}
		rq.ctx = ctx
		if m.all {
			m.active.Inst().Add(ctx, 1, rq.info.active...)
		}
		// The request's context (and c's, and a session's) reads the
		// request's user values: the span there is the handler's parent
		// (trace.SpanFromContext(c)) without a context made per request.
		if spanKey != nil {
			c.SetUserValue(spanKey, rq.span)
		}
		kk.AfterSession(c, rq.sessionEndFn) // a WebSocket or an event stream ends
		if saved != nil {
			c.SetContext(ctx)
		}
		returned := false
		defer func() {
			if saved != nil {
				c.SetContext(saved)
			}
			if !returned { // a panic, which the router answers with 500
				rq.span.SetAttributes(attribute.Bool("exception.escaped", true))
				req, _ := kk.BodySizes(c)
				rq.end(500, errPanic, req, 0)
			}
		}()
		err := next(c)
		returned = true
		if c.Hijacked() {
			// The session's end ends the span (AfterSession). It starts
			// after the whole chain has returned, so it sees this write.
			rq.sessionStatus = c.Response.StatusCode()
			return err
		}
		status := c.Response.StatusCode()
		if err != nil {
			status = c.Router().StatusOf(err)
		}
		req, resp := kk.BodySizes(c) // never reads a streamed body
		rq.end(status, err, req, resp)
		return err
	}
}

// errPanic is a panic's error on its span; the router logs the panic.
var errPanic = errors.New("handler panic")

// request is one request's span and measurements, pooled: end puts it
// back, so a request makes none.
type request struct {
	m             *mw
	key           routeKey
	info          *routeInfo
	start         time.Time
	ctx           context.Context
	span          trace.Span
	sessionStatus int         // the handshake's status, once the request became a session
	sessionEndFn  func(error) // sessionEnd, made once per pooled request
}

func (m *mw) newRequest() any {
	rq := &request{m: m}
	rq.sessionEndFn = rq.sessionEnd
	return rq
}

func (rq *request) sessionEnd(err error) { rq.end(rq.sessionStatus, err, 0, 0) }

// end closes the span and records the measurements of one request. A
// body size of -1 (a stream of unknown length) is not recorded.
func (rq *request) end(status int, err error, reqBytes, respBytes int64) {
	m, span, ctx := rq.m, rq.span, rq.ctx
	if span.IsRecording() {
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
	}
	span.End()
	set, ok := rq.info.ends.Get(status)
	if !ok {
		set = rq.info.ends.Put(status, m.set(rq.key, status))
	}
	m.duration.Inst().Record(ctx, time.Since(rq.start).Seconds(), set...)
	if m.all {
		if reqBytes >= 0 {
			m.reqSize.Inst().Record(ctx, reqBytes, set...)
		}
		if respBytes >= 0 {
			m.respSize.Inst().Record(ctx, respBytes, set...)
		}
		m.active.Inst().Add(ctx, -1, rq.info.active...)
	}
	*rq = request{m: m, sessionEndFn: rq.sessionEndFn}
	m.pool.Put(rq)
}

// routeKey is what names a span and labels its measurements: the route,
// the method, the scheme and the protocol version.
type routeKey struct {
	route  *kk.Route
	method method
	https  bool
	http10 bool // an HTTP/1.0 request; else HTTP/1.1
}

// version is k's network.protocol.version.
func (k routeKey) version() string {
	if k.http10 {
		return "1.0"
	}
	return "1.1"
}

// routeInfo is what a routeKey's requests share, built once: the span's
// name and start options, and the active-requests attribute set.
type routeInfo struct {
	name   string
	start  []trace.SpanStartOption
	active []metric.AddOption                     // a slice made once: a variadic argument would be made per call
	ends   cowmap.Map[int, []metric.RecordOption] // by status: the attribute set of a request's end
}

func (m *mw) info(k routeKey) *routeInfo {
	if ri, ok := m.infos.Get(k); ok {
		return ri
	}
	return m.infos.Put(k, m.newInfo(k))
}

func (m *mw) newInfo(k routeKey) *routeInfo {
	scheme := "http"
	if k.https {
		scheme = "https"
	}
	attrs := []attribute.KeyValue{semconv.HTTPRequestMethodKey.String(k.method.String()), semconv.URLScheme(scheme)}
	if k.route != nil {
		attrs = append(attrs, semconv.HTTPRoute(k.route.Pattern))
	}
	ri := &routeInfo{
		name:   spanName(k.method.String(), k.route),
		start:  []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(attrs...)},
		active: []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(attrs[:2]...))},
	}
	return ri
}

// set is the measurement option of the end of a request of k answered
// with status (0: a session that ended without a handshake status).
func (m *mw) set(k routeKey, status int) []metric.RecordOption {
	scheme := "http"
	if k.https {
		scheme = "https"
	}
	attrs := []attribute.KeyValue{semconv.HTTPRequestMethodKey.String(k.method.String()), semconv.URLScheme(scheme),
		semconv.NetworkProtocolName("http"), semconv.NetworkProtocolVersion(k.version())}
	if k.route != nil {
		attrs = append(attrs, semconv.HTTPRoute(k.route.Pattern))
	}
	if status != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(status))
		if status >= 500 {
			attrs = append(attrs, semconv.ErrorTypeKey.String(strconv.Itoa(status)))
		}
	}
	return []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(attrs...))}
}

// requestAttrs are the span's attributes beyond those of its start
// (method, scheme, route), for a span that is recorded.
func (m *mw) requestAttrs(c *kk.Ctx, k routeKey) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 8)
	attrs = append(attrs, semconv.URLPath(string(c.Path())), semconv.NetworkProtocolVersion(k.version()))
	if k.method == methodOther {
		attrs = append(attrs, semconv.HTTPRequestMethodOriginal(string(c.Method())))
	}
	host, port := splitHost(string(c.Host()), k.https)
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
		scheme := "http"
		if k.https {
			scheme = "https"
		}
		attrs = append(attrs, semconv.URLFull(scheme+"://"+string(c.Host())+string(c.RequestURI())))
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

// method is a request's method as the semantic conventions record it:
// one of the standard methods, else _OTHER (so that made-up methods do
// not make new series). A small integer keeps the per-request lookups
// cheap.
type method uint8

const methodOther method = 0

var methodNames = [...]string{"_OTHER", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE", "QUERY"}

func (m method) String() string { return methodNames[m] }

func methodOf(b []byte) method {
	for i := 1; i < len(methodNames); i++ {
		if string(b) == methodNames[i] {
			return method(i)
		}
	}
	return methodOther
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
