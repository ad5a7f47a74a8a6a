// Package promkk measures kk requests for Prometheus, through
// prometheus/client_golang, and serves the metrics on any kk router.
//
//	m := promkk.New(promkk.Config{}) // registers with prometheus.DefaultRegisterer
//	api.Use(m.Middleware())
//	// the admin router's GET /metrics route:
//	func (s *Source) Metrics(c *kk.Ctx) error { return s.metrics(c) } // s.metrics = promkk.Handler(nil)
//
// The series are labelled by route (the pattern from the generated table,
// "/users/:id", so a label value per route and not per path; "" for a
// request no route matched), method (the standard ones, else "OTHER") and
// status:
//
//	http_server_request_duration_seconds{route,method,status}  histogram
//	http_server_request_size_bytes{route,method,status}        histogram
//	http_server_response_size_bytes{route,method,status}       histogram
//	http_server_requests_in_flight{route,method}               gauge
//
// A WebSocket or an event stream is measured up to its handshake (101,
// 200): its life is not a request's latency.
//
// The package is apart from kk so that a program that does not import it
// does not link client_golang.
package promkk

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"

	"github.com/kommandkit/kk/internal/cowmap"
	kk "github.com/kommandkit/kk/runtime"
)

// Config configures New. The zero value registers with
// prometheus.DefaultRegisterer, with no namespace and the default
// duration buckets.
type Config struct {
	Registerer prometheus.Registerer
	Namespace  string    // prefixed to every name: "myapp" gives myapp_http_server_...
	Buckets    []float64 // duration buckets in seconds; nil is prometheus.DefBuckets
}

// Metrics are the collectors of one New, registered once; Middleware
// can wrap any number of routers with them.
type Metrics struct {
	duration *prometheus.HistogramVec
	reqSize  *prometheus.HistogramVec
	respSize *prometheus.HistogramVec
	inFlight *prometheus.GaugeVec

	// The labelled children, by what labels them: looked up once each,
	// so that a request observes without hashing label values.
	done   cowmap.Map[doneKey, *observers]
	flying cowmap.Map[flyKey, prometheus.Gauge]
}

type flyKey struct {
	route  *kk.Route
	method string
}

type doneKey struct {
	flyKey
	status int
}

type observers struct{ duration, reqSize, respSize prometheus.Observer }

// New makes the collectors and registers them with cfg.Registerer. It
// panics when they are registered already, as prometheus.MustRegister
// does: make one Metrics per registry.
func New(cfg Config) *Metrics {
	reg := cfg.Registerer
	if reg == nil {
		reg = prometheus.DefaultRegisterer
	}
	buckets := cfg.Buckets
	if buckets == nil {
		buckets = prometheus.DefBuckets
	}
	labels := []string{"route", "method", "status"}
	sizes := prometheus.ExponentialBuckets(64, 4, 10) // 64 B to 16 MiB
	m := &Metrics{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: cfg.Namespace,
			Name: "http_server_request_duration_seconds", Help: "Time from a request's routing to its handler's return.",
			Buckets: buckets}, labels),
		reqSize: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: cfg.Namespace,
			Name: "http_server_request_size_bytes", Help: "Size of request bodies.", Buckets: sizes}, labels),
		respSize: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: cfg.Namespace,
			Name: "http_server_response_size_bytes", Help: "Size of response bodies.", Buckets: sizes}, labels),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: cfg.Namespace,
			Name: "http_server_requests_in_flight", Help: "Requests in their handlers now."}, []string{"route", "method"}),
	}
	reg.MustRegister(m.duration, m.reqSize, m.respSize, m.inFlight)
	return m
}

// Middleware measures every request it wraps. Install it with Router.Use,
// so that it sees 404s and 405s too.
func (m *Metrics) Middleware() kk.Middleware {
	return func(next kk.Handler) kk.Handler {
		return func(c *kk.Ctx) error {
			start := time.Now()
			fk := flyKey{route: c.Route(), method: method(c.Method())}
			g := m.gauge(fk)
			g.Inc()
			returned := false
			defer func() {
				g.Dec()
				if !returned { // a panic: the router answers 500
					req, _ := kk.BodySizes(c)
					m.observe(doneKey{fk, 500}, start, req, 0)
				}
			}()
			err := next(c)
			returned = true
			status := c.Response.StatusCode()
			if err != nil {
				status = c.Router().StatusOf(err)
			}
			req, resp := kk.BodySizes(c)
			m.observe(doneKey{fk, status}, start, req, resp)
			return err
		}
	}
}

// observe records one request. Body sizes come from kk.BodySizes, which
// never reads a streamed body: a size it does not know (-1, a stream
// without Content-Length) is left out of its histogram.
func (m *Metrics) observe(k doneKey, start time.Time, reqBytes, respBytes int64) {
	obs, ok := m.done.Get(k)
	if !ok {
		route := ""
		if k.route != nil {
			route = k.route.Pattern
		}
		lv := []string{route, k.method, strconv.Itoa(k.status)}
		obs = m.done.Put(k, &observers{m.duration.WithLabelValues(lv...), m.reqSize.WithLabelValues(lv...), m.respSize.WithLabelValues(lv...)})
	}
	obs.duration.Observe(time.Since(start).Seconds())
	if reqBytes >= 0 {
		obs.reqSize.Observe(float64(reqBytes))
	}
	if respBytes >= 0 {
		obs.respSize.Observe(float64(respBytes))
	}
}

func (m *Metrics) gauge(k flyKey) prometheus.Gauge {
	if g, ok := m.flying.Get(k); ok {
		return g
	}
	route := ""
	if k.route != nil {
		route = k.route.Pattern
	}
	return m.flying.Put(k, m.inFlight.WithLabelValues(route, k.method))
}

// Handler answers with the metrics of g (prometheus.DefaultGatherer
// when nil), through promhttp (content negotiation between the text and
// protobuf exposition formats, gzip) adapted to fasthttp. It is the body
// of a GET /metrics route on whichever router is to expose them, an admin
// server's usually:
//
//	metrics := promkk.Handler(nil) // once
//	func (s *Source) Metrics(c *kk.Ctx) error { return s.metrics(c) }
func Handler(g prometheus.Gatherer) kk.Handler {
	if g == nil {
		g = prometheus.DefaultGatherer
	}
	h := fasthttpadaptor.NewFastHTTPHandler(promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	return func(c *kk.Ctx) error {
		h(c.RequestCtx)
		return nil
	}
}

// method is the method as a label: a standard one, else "OTHER", so that
// made-up methods do not make new series.
func method(m []byte) string {
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
	}
	return "OTHER"
}
