// Package routing compares kk's generated routers with the peers on the
// route tables of go-http-routing-benchmark (see routing_test.go for the
// benchmarks and ../../BENCHMARKS.md for the results).
//
// Each router is built from a tables.Table with do-nothing handlers, as
// upstream builds them; kk's side is the package kkgen generated for the
// table under ../kkroutes. A router is served through its native harness:
// an http.Handler with upstream's reused *http.Request and mock
// ResponseWriter, or a fasthttp.RequestHandler with a prepared
// *fasthttp.RequestCtx per request (what fasthttp/router's own benchmarks
// do). Where a router exposes its matcher, Lookup measures that alone.
package routing

import (
	"net/http"
	"unsafe"

	fasthttprouter "github.com/fasthttp/router"
	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/julienschmidt/httprouter"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bunrouter"
	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/bench/internal/tables"
	"github.com/kommandkit/kk/bench/kkroutes/github"
	"github.com/kommandkit/kk/bench/kkroutes/gplus"
	"github.com/kommandkit/kk/bench/kkroutes/param"
	"github.com/kommandkit/kk/bench/kkroutes/param20"
	"github.com/kommandkit/kk/bench/kkroutes/param5"
	"github.com/kommandkit/kk/bench/kkroutes/parse"
	"github.com/kommandkit/kk/bench/kkroutes/static"
	kk "github.com/kommandkit/kk/runtime"
)

// Router is one router under test. Exactly one of HTTP and Fast is set.
// hit, when not nil, is called with the index in t.Routes of the route
// that served a request: tests use it to check every router's routing;
// benchmarks pass nil, so handlers do nothing.
type Router struct {
	Name string
	HTTP func(t tables.Table, hit func(int)) http.Handler
	Fast func(t tables.Table, hit func(int)) fasthttp.RequestHandler

	// Lookup, when the router exposes its matcher, returns a function
	// that matches method and path (capturing parameters as routing
	// does) and reports whether a route matched.
	Lookup func(t tables.Table) func(method, path string) bool
}

// Routers lists kk and its peers in the order the results show them.
var Routers = []Router{
	{Name: "kk", Fast: kkRouter, Lookup: kkLookup},
	{Name: "fasthttp-router", Fast: fasthttpRouter, Lookup: fasthttpRouterLookup},
	{Name: "httprouter", HTTP: func(t tables.Table, hit func(int)) http.Handler { return httpRouter(t, hit) }, Lookup: httpRouterLookup},
	{Name: "echo", HTTP: func(t tables.Table, hit func(int)) http.Handler { return echoRouter(t, hit) }, Lookup: echoLookup},
	{Name: "gin", HTTP: ginRouter},
	{Name: "chi", HTTP: func(t tables.Table, hit func(int)) http.Handler { return chiRouter(t, hit) }, Lookup: chiLookup},
	{Name: "bunrouter", HTTP: bunRouter},
	{Name: "servemux", HTTP: serveMux},
}

// kkPackages maps a table to the kk package kkgen generated for it.
var kkPackages = map[string]struct {
	New   func() *kk.Router
	Match func(method string, path []byte, ps *kk.Params) int
}{
	"github":  {github.NewRouter, github.Match},
	"gplus":   {gplus.NewRouter, gplus.Match},
	"parse":   {parse.NewRouter, parse.Match},
	"static":  {static.NewRouter, static.Match},
	"param":   {param.NewRouter, param.Match},
	"param5":  {param5.NewRouter, param5.Match},
	"param20": {param20.NewRouter, param20.Match},
}

func kkRouter(t tables.Table, hit func(int)) fasthttp.RequestHandler {
	r := kkPackages[t.Name].New()
	if hit != nil {
		// Generated handlers do nothing; a middleware reports the route.
		index := map[*kk.Route]int{}
		for i := range r.Routes() {
			rt := &r.Routes()[i]
			for j, tr := range t.Routes {
				if tr.Method == rt.Method && tr.Pattern == rt.Pattern {
					index[rt] = j
				}
			}
		}
		r.Use(func(next kk.Handler) kk.Handler {
			return func(c *kk.Ctx) error {
				if i, ok := index[c.Route()]; ok {
					hit(i)
				}
				return next(c)
			}
		})
	}
	return r.Handler()
}

func kkLookup(t tables.Table) func(method, path string) bool {
	match := kkPackages[t.Name].Match
	var ps kk.Params
	return func(method, path string) bool {
		return match(method, unsafe.Slice(unsafe.StringData(path), len(path)), &ps) >= 0
	}
}

func fasthttpRouter(t tables.Table, hit func(int)) fasthttp.RequestHandler {
	r := fasthttprouter.New()
	for i, rt := range t.Routes {
		h := func(*fasthttp.RequestCtx) {}
		if hit != nil {
			h = func(*fasthttp.RequestCtx) { hit(i) }
		}
		r.Handle(rt.Method, tables.Braces(rt.Pattern), h)
	}
	return r.Handler
}

func fasthttpRouterLookup(t tables.Table) func(method, path string) bool {
	r := fasthttprouter.New()
	for _, rt := range t.Routes {
		r.Handle(rt.Method, tables.Braces(rt.Pattern), func(*fasthttp.RequestCtx) {})
	}
	ctx := new(fasthttp.RequestCtx)
	return func(method, path string) bool {
		h, _ := r.Lookup(method, path, ctx)
		return h != nil
	}
}

func httpRouter(t tables.Table, hit func(int)) *httprouter.Router {
	r := httprouter.New()
	for i, rt := range t.Routes {
		h := func(http.ResponseWriter, *http.Request, httprouter.Params) {}
		if hit != nil {
			h = func(http.ResponseWriter, *http.Request, httprouter.Params) { hit(i) }
		}
		r.Handle(rt.Method, rt.Pattern, h)
	}
	return r
}

func httpRouterLookup(t tables.Table) func(method, path string) bool {
	r := httpRouter(t, nil)
	return func(method, path string) bool {
		h, _, _ := r.Lookup(method, path)
		return h != nil
	}
}

func echoRouter(t tables.Table, hit func(int)) *echo.Echo {
	e := echo.New()
	for i, rt := range t.Routes {
		h := func(echo.Context) error { return nil }
		if hit != nil {
			h = func(echo.Context) error { hit(i); return nil }
		}
		e.Add(rt.Method, rt.Pattern, h)
	}
	return e
}

func echoLookup(t tables.Table) func(method, path string) bool {
	e := echoRouter(t, nil)
	r, c := e.Router(), e.NewContext(nil, nil)
	return func(method, path string) bool {
		c.SetPath("")
		r.Find(method, path, c)
		return c.Path() != ""
	}
}

func ginRouter(t tables.Table, hit func(int)) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	for i, rt := range t.Routes {
		h := func(*gin.Context) {}
		if hit != nil {
			h = func(*gin.Context) { hit(i) }
		}
		r.Handle(rt.Method, rt.Pattern, h)
	}
	return r
}

func chiRouter(t tables.Table, hit func(int)) *chi.Mux {
	r := chi.NewRouter()
	for i, rt := range t.Routes {
		h := func(http.ResponseWriter, *http.Request) {}
		if hit != nil {
			h = func(http.ResponseWriter, *http.Request) { hit(i) }
		}
		r.MethodFunc(rt.Method, tables.Braces(rt.Pattern), h)
	}
	return r
}

func chiLookup(t tables.Table) func(method, path string) bool {
	r := chiRouter(t, nil)
	rctx := chi.NewRouteContext()
	return func(method, path string) bool {
		rctx.Reset()
		return r.Find(rctx, method, path) != ""
	}
}

func bunRouter(t tables.Table, hit func(int)) http.Handler {
	r := bunrouter.New()
	for i, rt := range t.Routes {
		h := func(http.ResponseWriter, bunrouter.Request) error { return nil }
		if hit != nil {
			h = func(http.ResponseWriter, bunrouter.Request) error { hit(i); return nil }
		}
		r.Handle(rt.Method, rt.Pattern, h)
	}
	return r
}

// serveMux is Go's own router with Go 1.22's patterns: "GET /users/{id}".
func serveMux(t tables.Table, hit func(int)) http.Handler {
	m := http.NewServeMux()
	for i, rt := range t.Routes {
		h := func(http.ResponseWriter, *http.Request) {}
		if hit != nil {
			h = func(http.ResponseWriter, *http.Request) { hit(i) }
		}
		m.HandleFunc(rt.Method+" "+tables.Braces(rt.Pattern), h)
	}
	return m
}
