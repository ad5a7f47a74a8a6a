package otelkk_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/kommandkit/kk/otelkk"
	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

type (
	ctxKey     struct{}
	derivedKey struct{}
)

// spanTable routes GET /span, whose handler answers with the span its
// contexts carry: "c=<span id> ctx=<span id> derived=<span id>
// value=<ctxKey's value> baggage=<the member "k">".
func spanTable() kk.Table {
	routes := []kk.Route{{Method: "GET", Pattern: "/span", Name: "Span", Handler: func(c *kk.Ctx) error {
		derived := context.WithValue(c.Context(), derivedKey{}, 1)
		v, _ := c.Value(ctxKey{}).(string)
		return kk.Text(c, fmt.Sprintf("trace=%s c=%s ctx=%s derived=%s value=%s baggage=%s",
			trace.SpanContextFromContext(c).TraceID(),
			trace.SpanContextFromContext(c).SpanID(), trace.SpanContextFromContext(c.Context()).SpanID(),
			trace.SpanContextFromContext(derived).SpanID(), v, baggage.FromContext(c).Member("k").Value()))
	}}}
	return kk.Table{Routes: routes, Methods: []string{"GET"}, Match: func(method string, p []byte, _ *kk.Params) int {
		if method == "GET" && string(p) == "/span" {
			return 0
		}
		return -1
	}}
}

func spanServer(t *testing.T, before ...kk.Middleware) (*kktest.Server, *tracetest.SpanRecorder) {
	rec := tracetest.NewSpanRecorder()
	r := kk.New(spanTable())
	r.Use(before...)
	r.Use(otelkk.Middleware(otelkk.Config{
		TracerProvider: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)),
		Propagators:    propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}),
	}))
	return kktest.NewServer(t, r), rec
}

func getBody(t *testing.T, srv *kktest.Server, header http.Header) string {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+"/span", nil)
	req.Header = header
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestHandlerContextsCarryTheSpan: whether or not the request carries a
// trace context or baggage, and whether or not middleware before otelkk
// installed a context of its own, the handler finds the request's span in
// c, in c.Context() and in a context derived from it; the baggage and the
// earlier middleware's values stay.
func TestHandlerContextsCarryTheSpan(t *testing.T) {
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	withValue := func(next kk.Handler) kk.Handler {
		return func(c *kk.Ctx) error {
			c.SetContext(context.WithValue(c.Context(), ctxKey{}, "kept"))
			return next(c)
		}
	}
	for _, tc := range []struct {
		name   string
		header http.Header
		before []kk.Middleware
		want   string // in the answer besides the span IDs
	}{
		{"no trace context", http.Header{}, nil, "value= baggage="},
		{"traceparent", http.Header{"Traceparent": {"00-" + traceID + "-00f067aa0ba902b7-01"}}, nil, "trace=" + traceID},
		{"baggage only", http.Header{"Baggage": {"k=v"}}, nil, "baggage=v"},
		{"a context before", http.Header{}, []kk.Middleware{withValue}, "value=kept"},
		{"a context before, traceparent and baggage", http.Header{
			"Traceparent": {"00-" + traceID + "-00f067aa0ba902b7-01"}, "Baggage": {"k=v"},
		}, []kk.Middleware{withValue}, "value=kept baggage=v"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, rec := spanServer(t, tc.before...)
			body := getBody(t, srv, tc.header)
			spans := rec.Ended()
			if len(spans) != 1 {
				t.Fatalf("%d spans, want 1", len(spans))
			}
			id := spans[0].SpanContext().SpanID().String()
			if want := "c=" + id + " ctx=" + id + " derived=" + id; !strings.Contains(body, want) {
				t.Errorf("handler answered %q, want the span %s in every context", body, id)
			}
			if !strings.Contains(body, tc.want) {
				t.Errorf("handler answered %q, want %q in it", body, tc.want)
			}
		})
	}
}

// TestConcurrentRequestsKeepTheirSpans: requests served at once (pooled
// request state) each see their own span, the one recorded for them.
func TestConcurrentRequestsKeepTheirSpans(t *testing.T) {
	srv, rec := spanServer(t)
	const n = 64
	bodies := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			h := http.Header{}
			if i%2 == 0 {
				h.Set("Traceparent", fmt.Sprintf("00-%032x-00f067aa0ba902b7-01", i+1))
			}
			bodies[i] = getBody(t, srv, h)
		})
	}
	wg.Wait()
	recorded := map[string]string{} // span ID → trace ID
	for _, s := range rec.Ended() {
		recorded[s.SpanContext().SpanID().String()] = s.SpanContext().TraceID().String()
	}
	seen := map[string]bool{}
	for i, b := range bodies {
		var traceID, c, ctx, derived string
		if _, err := fmt.Sscanf(b, "trace=%s c=%s ctx=%s derived=%s", &traceID, &c, &ctx, &derived); err != nil {
			t.Fatalf("answer %q: %v", b, err)
		}
		if c != ctx || c != derived || recorded[c] != traceID || seen[c] {
			t.Errorf("request %d saw span %s (trace %s), ctx %s, derived %s; recorded: trace %q; seen before: %v", i, c, traceID, ctx, derived, recorded[c], seen[c])
		}
		if i%2 == 0 && traceID != fmt.Sprintf("%032x", i+1) {
			t.Errorf("request %d: trace %s, not its traceparent's", i, traceID)
		}
		seen[c] = true
	}
}
