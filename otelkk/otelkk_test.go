package otelkk_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/kommandkit/kk/otelkk"
	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// ended hands over each span as it ends, so a test waits for exactly the
// spans it expects, WebSocket sessions that end later included.
type ended chan sdktrace.ReadOnlySpan

func (e ended) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (e ended) OnEnd(s sdktrace.ReadOnlySpan)                   { e <- s }
func (e ended) Shutdown(context.Context) error                  { return nil }
func (e ended) ForceFlush(context.Context) error                { return nil }

func (e ended) next(t *testing.T) sdktrace.ReadOnlySpan {
	t.Helper()
	select {
	case s := <-e:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("no span ended")
		return nil
	}
}

// testTable routes GET /items/:id (204), /fail (500), /panic, /ws (a
// WebSocket that echoes one message) and /events (an event stream of one
// event).
func testTable(handlerCtx chan<- trace.SpanContext) kk.Table {
	routes := []kk.Route{
		{Method: "GET", Pattern: "/items/:id", Name: "GetItem", Params: []string{"id"}, Handler: func(c *kk.Ctx) error {
			if handlerCtx != nil {
				handlerCtx <- trace.SpanContextFromContext(c.Context())
			}
			return kk.NoContent(c)
		}},
		{Method: "GET", Pattern: "/fail", Name: "Fail", Handler: func(*kk.Ctx) error { return errors.New("broken") }},
		{Method: "GET", Pattern: "/panic", Name: "Panic", Handler: func(*kk.Ctx) error { panic("boom") }},
		{Method: "GET", Pattern: "/ws", Name: "WS", Handler: func(c *kk.Ctx) error {
			return kk.UpgradeWebSocket(c, func(ctx context.Context, ws *kk.WebSocket) error {
				s, err := ws.ReadText()
				if err != nil {
					return err
				}
				return ws.WriteText(s)
			})
		}},
		{Method: "GET", Pattern: "/events", Name: "Events", Handler: func(c *kk.Ctx) error {
			return kk.ServeEventStream(c, func(es *kk.EventStream) error { return es.Send(kk.Event{Data: "one"}) })
		}},
	}
	return kk.Table{
		Routes:  routes,
		Methods: []string{"GET"},
		Match: func(method string, p []byte, ps *kk.Params) int {
			if method != "GET" {
				return -1
			}
			s := string(p)
			if id, ok := strings.CutPrefix(s, "/items/"); ok && id != "" && !strings.Contains(id, "/") {
				ps[0] = p[len("/items/"):]
				return 0
			}
			for i, r := range routes[1:] {
				if r.Pattern == s {
					return i + 1
				}
			}
			return -1
		},
	}
}

type setup struct {
	srv    *kktest.Server
	spans  ended
	reader *sdkmetric.ManualReader
}

func newSetup(t *testing.T, cfg otelkk.Config, handlerCtx chan<- trace.SpanContext) *setup {
	t.Helper()
	spans := make(ended, 16)
	reader := sdkmetric.NewManualReader()
	cfg.TracerProvider = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	cfg.MeterProvider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	cfg.Propagators = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	r := kk.New(testTable(handlerCtx))
	r.SetLogger(slog.New(slog.DiscardHandler))
	r.Use(otelkk.Middleware(cfg))
	return &setup{srv: kktest.NewServer(t, r), spans: spans, reader: reader}
}

func (s *setup) get(t *testing.T, path string, header http.Header) int {
	t.Helper()
	req, _ := http.NewRequest("GET", s.srv.URL+path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := s.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

func TestSpanNamesAttributesAndParent(t *testing.T) {
	handlerCtx := make(chan trace.SpanContext, 1)
	s := newSetup(t, otelkk.Config{}, handlerCtx)
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	st := s.get(t, "/items/42?token=secret", http.Header{
		"Traceparent": {"00-" + traceID + "-00f067aa0ba902b7-01"},
		"User-Agent":  {"kk-test/1"},
	})
	if st != 204 {
		t.Fatalf("status %d", st)
	}
	span := s.spans.next(t)
	if span.Name() != "GET /items/:id" || span.SpanKind() != trace.SpanKindServer {
		t.Errorf("span %q kind %v", span.Name(), span.SpanKind())
	}
	if got := span.Parent().TraceID().String(); got != traceID || !span.Parent().IsRemote() ||
		span.SpanContext().TraceID().String() != traceID {
		t.Errorf("trace %s, parent %s: the traceparent was not continued", span.SpanContext().TraceID(), got)
	}
	if hc := <-handlerCtx; hc.SpanID() != span.SpanContext().SpanID() {
		t.Errorf("the handler's context carries span %s, want %s", hc.SpanID(), span.SpanContext().SpanID())
	}
	a := attrs(span)
	for k, want := range map[attribute.Key]any{
		"http.request.method": "GET", "http.route": "/items/:id", "url.path": "/items/42", "url.scheme": "http",
		"http.response.status_code": int64(204), "user_agent.original": "kk-test/1", "server.address": "kktest",
		"network.protocol.version": "1.1",
	} {
		if got := a[k].AsInterface(); got != want {
			t.Errorf("%s = %v, want %v", k, got, want)
		}
	}
	for _, k := range []attribute.Key{"url.query", "url.full", "user.id", "enduser.id", "error.type"} {
		if _, ok := a[k]; ok {
			t.Errorf("%s recorded by default: %v", k, a[k].AsInterface())
		}
	}
	if span.Status().Code != codes.Unset {
		t.Errorf("status %v on a 204", span.Status())
	}
}

func TestQueryAndFullURLWhenAsked(t *testing.T) {
	s := newSetup(t, otelkk.Config{RecordQuery: true, RecordFullURL: true}, nil)
	s.get(t, "/items/42?token=secret", nil)
	a := attrs(s.spans.next(t))
	if a["url.query"].AsString() != "token=secret" || a["url.full"].AsString() != "http://kktest/items/42?token=secret" {
		t.Errorf("url.query %q, url.full %q", a["url.query"].AsString(), a["url.full"].AsString())
	}
}

func TestErrorsMissesAndPanics(t *testing.T) {
	s := newSetup(t, otelkk.Config{}, nil)
	for _, tc := range []struct {
		path, name string
		status     int
		isError    bool
	}{
		{"/nowhere", "GET", 404, false},
		{"/fail", "GET /fail", 500, true},
		{"/panic", "GET /panic", 500, true},
	} {
		if st := s.get(t, tc.path, nil); st != tc.status {
			t.Errorf("%s: status %d", tc.path, st)
		}
		span := s.spans.next(t)
		a := attrs(span)
		if span.Name() != tc.name || a["http.response.status_code"].AsInt64() != int64(tc.status) ||
			(span.Status().Code == codes.Error) != tc.isError {
			t.Errorf("%s: span %q status_code %d status %v", tc.path, span.Name(), a["http.response.status_code"].AsInt64(), span.Status())
		}
		if _, ok := a["http.route"]; ok == (tc.status == 404) {
			t.Errorf("%s: http.route %v", tc.path, a["http.route"].AsInterface())
		}
		if tc.isError && a["error.type"].AsString() != "500" {
			t.Errorf("%s: error.type %q", tc.path, a["error.type"].AsString())
		}
	}
}

// TestSessionsAreOneSpan: a WebSocket's span ends when the session does,
// not at its handshake, and is one span for its messages; so is an event
// stream's.
func TestSessionsAreOneSpan(t *testing.T) {
	s := newSetup(t, otelkk.Config{}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, err := s.srv.DialWebSocket(ctx, "/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case sp := <-s.spans:
		t.Fatalf("span %q ended while its WebSocket is open", sp.Name())
	default:
	}
	if err := ws.WriteText("hi"); err != nil {
		t.Fatal(err)
	}
	if got, err := ws.ReadText(); err != nil || got != "hi" {
		t.Fatalf("echo %q %v", got, err)
	}
	span := s.spans.next(t) // the handler returned after one message: the session ends
	_ = ws.Close(1000, "")
	if span.Name() != "GET /ws" || attrs(span)["http.response.status_code"].AsInt64() != 101 || span.Status().Code == codes.Error {
		t.Errorf("WebSocket span %q status %d %v", span.Name(), attrs(span)["http.response.status_code"].AsInt64(), span.Status())
	}

	if st := s.get(t, "/events", nil); st != 200 {
		t.Fatalf("event stream: %d", st)
	}
	span = s.spans.next(t)
	if span.Name() != "GET /events" || attrs(span)["http.response.status_code"].AsInt64() != 200 {
		t.Errorf("event-stream span %q status %d", span.Name(), attrs(span)["http.response.status_code"].AsInt64())
	}
	select {
	case sp := <-s.spans:
		t.Errorf("an extra span %q", sp.Name())
	default:
	}
}

func TestMetrics(t *testing.T) {
	s := newSetup(t, otelkk.Config{AllMetrics: true}, nil)
	for _, p := range []string{"/items/1", "/items/2", "/fail", "/nowhere"} {
		s.get(t, p, nil)
		s.spans.next(t)
	}
	var rm metricdata.ResourceMetrics
	if err := s.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]metricdata.Aggregation{}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != otelkk.ScopeName {
			t.Errorf("scope %q", sm.Scope.Name)
		}
		for _, m := range sm.Metrics {
			got[m.Name] = m.Data
		}
	}
	dur, ok := got["http.server.request.duration"].(metricdata.Histogram[float64])
	if !ok {
		t.Fatalf("no http.server.request.duration histogram: %v", got)
	}
	counts := map[string]uint64{}
	for _, dp := range dur.DataPoints {
		route, _ := dp.Attributes.Value("http.route")
		status, _ := dp.Attributes.Value("http.response.status_code")
		method, _ := dp.Attributes.Value("http.request.method")
		counts[method.AsString()+" "+route.AsString()+" "+status.String()] += dp.Count
	}
	want := map[string]uint64{"GET /items/:id 204": 2, "GET /fail 500": 1, "GET  404": 1}
	if len(counts) != len(want) {
		t.Errorf("duration series %v, want %v", counts, want)
	}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("duration series %q: %d, want %d (all: %v)", k, counts[k], n, counts)
		}
	}
	for _, name := range []string{"http.server.request.body.size", "http.server.response.body.size"} {
		if _, ok := got[name].(metricdata.Histogram[int64]); !ok {
			t.Errorf("no %s histogram", name)
		}
	}
	active, ok := got["http.server.active_requests"].(metricdata.Sum[int64])
	if !ok {
		t.Fatalf("no http.server.active_requests")
	}
	for _, dp := range active.DataPoints {
		if dp.Value != 0 {
			t.Errorf("active requests %d after every request ended", dp.Value)
		}
	}
}

// TestDefaultMetrics: without AllMetrics, the stable duration histogram
// alone.
func TestDefaultMetrics(t *testing.T) {
	s := newSetup(t, otelkk.Config{}, nil)
	s.get(t, "/items/1", nil)
	s.spans.next(t)
	var rm metricdata.ResourceMetrics
	if err := s.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			names = append(names, m.Name)
		}
	}
	if strings.Join(names, ",") != "http.server.request.duration" {
		t.Errorf("metrics %v, want http.server.request.duration alone", names)
	}
}

// TestProtocolVersion: network.protocol.version is the request's own,
// "1.0" for an HTTP/1.0 request, on its span and its measurements.
func TestProtocolVersion(t *testing.T) {
	s := newSetup(t, otelkk.Config{}, nil)
	conn, err := s.srv.Dial()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /items/1 HTTP/1.0\r\nHost: kktest\r\n\r\n")
	if b, err := io.ReadAll(conn); err != nil || !strings.HasPrefix(string(b), "HTTP/1.1 204") {
		t.Fatalf("answer %q, %v", b, err)
	}
	if v := attrs(s.spans.next(t))["network.protocol.version"].AsString(); v != "1.0" {
		t.Errorf("span: network.protocol.version %q, want 1.0", v)
	}
	var rm metricdata.ResourceMetrics
	if err := s.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if h, ok := m.Data.(metricdata.Histogram[float64]); ok && m.Name == "http.server.request.duration" {
				for _, dp := range h.DataPoints {
					if v, _ := dp.Attributes.Value("network.protocol.version"); v.AsString() != "1.0" {
						t.Errorf("duration: network.protocol.version %q, want 1.0", v.AsString())
					}
				}
				return
			}
		}
	}
	t.Error("no http.server.request.duration")
}
