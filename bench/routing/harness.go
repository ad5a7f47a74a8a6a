package routing

import (
	"net/http"
	"testing"

	"github.com/valyala/fasthttp"
)

// Request is one request of a benchmark: what is sent, not the pattern.
type Request struct{ Method, Path string }

// mockResponseWriter is upstream's: it discards everything and costs
// nothing, so a net/http router's number is its routing alone.
type mockResponseWriter struct{}

func (m *mockResponseWriter) Header() http.Header               { return http.Header{} }
func (m *mockResponseWriter) Write(p []byte) (int, error)       { return len(p), nil }
func (m *mockResponseWriter) WriteString(s string) (int, error) { return len(s), nil }
func (m *mockResponseWriter) WriteHeader(int)                   {}

// BenchHTTP is upstream's harness (benchRoutes and benchRequest of
// go-http-routing-benchmark): one *http.Request, reused; each request sets
// its method, RequestURI and URL.Path, so no URL is parsed.
func BenchHTTP(b *testing.B, h http.Handler, reqs []Request) {
	w := new(mockResponseWriter)
	r, _ := http.NewRequest("GET", "/", nil)
	u := r.URL
	rq := u.RawQuery
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range reqs {
			r.Method = q.Method
			r.RequestURI = q.Path
			u.Path = q.Path
			u.RawQuery = rq
			h.ServeHTTP(w, r)
		}
	}
}

// PreparedCtx is a RequestCtx for one request whose URI has been parsed
// already, as fasthttp's server leaves it before calling the handler, and
// as fasthttp/router's own benchmarks reuse it.
func PreparedCtx(method, path string) *fasthttp.RequestCtx {
	ctx := new(fasthttp.RequestCtx)
	ctx.Request.Header.SetHost("bench")
	ctx.Request.Header.SetMethod(method)
	ctx.Request.SetRequestURI(path)
	ctx.URI() // parse and normalize now, not in the timed loop
	return ctx
}

// BenchFast is the native fasthttp harness, the counterpart of
// BenchHTTP: one prepared RequestCtx per request, so what is timed is the
// handler, as with a net/http router and a reused *http.Request. The
// response is not reset between calls (fasthttp/router's benchmarks do
// not reset it either); the handlers write no body.
func BenchFast(b *testing.B, h fasthttp.RequestHandler, reqs []Request) {
	ctxs := make([]*fasthttp.RequestCtx, len(reqs))
	for i, q := range reqs {
		ctxs[i] = PreparedCtx(q.Method, q.Path)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, ctx := range ctxs {
			h(ctx)
		}
	}
}

// BenchFastReparse is the harness of kk's own fixture benchmarks: one
// RequestCtx for all requests, each setting its method and URI and
// resetting the response, so every op also pays for fasthttp's URI parse
// and path normalization and a response reset, which a net/http mock
// harness never does. It is what a fasthttp server pays per request
// before any router runs.
func BenchFastReparse(b *testing.B, h fasthttp.RequestHandler, reqs []Request) {
	var ctx fasthttp.RequestCtx
	ctx.Request.Header.SetHost("bench")
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range reqs {
			ctx.Request.Header.SetMethod(q.Method)
			ctx.Request.SetRequestURI(q.Path)
			ctx.Response.Reset()
			h(&ctx)
		}
	}
}

// BenchLookup times a router's matcher alone.
func BenchLookup(b *testing.B, look func(method, path string) bool, reqs []Request) {
	for _, q := range reqs {
		if !look(q.Method, q.Path) {
			b.Fatalf("%s %s: no match", q.Method, q.Path)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range reqs {
			look(q.Method, q.Path)
		}
	}
}
