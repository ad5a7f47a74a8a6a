package kk

import (
	"fmt"
	"log/slog"
	"math"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/internal/httpmethod"
)

// Route describes one annotated handler. Generated code fills Routes in a
// Table; middleware reads the matched one from Ctx.Route.
type Route struct {
	Method  string   // "GET", "POST", ...
	Pattern string   // as annotated, e.g. "/users/:id"
	Name    string   // the handler func's name, e.g. "GetUser"
	Params  []string // path parameter names, in pattern order
	Handler Handler  // the generated wrapper: decode, call, encode

	// BodyLimit is the route's //kk:bodylimit in bytes, or 0 for the
	// server's MaxBodySize; StreamBody says its handler reads the
	// body as an io.Reader, so it is not read in before the handler runs.
	BodyLimit  int64
	StreamBody bool
}

// Table is what kkgen generates for a package and NewRouter hands to New.
type Table struct {
	Routes []Route

	// Match finds the route for method and the decoded path, writes its
	// parameters into ps and returns its index in Routes, or -1.
	Match func(method string, path []byte, ps *Params) int

	// Methods lists every method that has a route, sorted. It is what a
	// 405's Allow header is computed from.
	Methods []string

	// StatusOf maps an error to the status of a //kk:error annotation, or
	// returns 0 when none applies. It may be nil.
	StatusOf func(err error) int

	// ErrorHandlers are the //kk:errorhandler funcs, by status.
	ErrorHandlers map[int]ErrorHandler
}

// Router dispatches requests to the routes of a Table through router-wide
// middleware, and turns handler errors into responses.
type Router struct {
	table    Table
	mws      []Middleware
	onError  map[int]ErrorHandler
	logger   *slog.Logger
	once     sync.Once
	chains   []chain // per route: the route and the middleware chain around its handler
	miss     Handler // the chain around the 404/405 answer
	compiled bool

	minBodyLimit int64 // the smallest //kk:bodylimit of any route, or math.MaxInt64 (bodylimit.go)

	ctxs      sync.Pool                       // idle *Ctx of this router (see serve)
	maxParams int                             // the most parameters any route has: the Params slots a match can write
	wsConfig  atomic.Pointer[WebSocketConfig] // SetWebSocketConfig (websocket.go)
}

// New builds a Router for a generated Table. Users call their package's
// generated NewRouter instead.
func New(t Table) *Router {
	r := &Router{table: t, onError: make(map[int]ErrorHandler, len(t.ErrorHandlers))}
	for _, rt := range t.Routes {
		r.maxParams = max(r.maxParams, min(len(rt.Params), MaxParams))
	}
	for status, h := range t.ErrorHandlers {
		r.onError[status] = h
	}
	return r
}

// Routes lists the routes the router serves, in the generated order.
func (r *Router) Routes() []Route { return r.table.Routes }

// Use appends router-wide middleware. It wraps every route, and the 404 and
// 405 answers too, so access logs see every request. Use must be called
// before Handler.
func (r *Router) Use(mw ...Middleware) {
	if r.compiled {
		panic("kk: Router.Use called after Router.Handler")
	}
	r.mws = append(r.mws, mw...)
}

// OnError makes fn write the response for errors mapped to status,
// replacing the default problem-details body and any //kk:errorhandler for
// that status. Like Use, it must be called before Handler: serving
// goroutines read the handlers without a lock.
func (r *Router) OnError(status int, fn ErrorHandler) {
	if r.compiled {
		panic("kk: Router.OnError called after Router.Handler")
	}
	r.onError[status] = fn
}

// SetLogger sets where 5xx errors and panics are logged. The default is
// slog.Default() at the time of logging.
func (r *Router) SetLogger(l *slog.Logger) { r.logger = l }

func (r *Router) log() *slog.Logger {
	if r.logger != nil {
		return r.logger
	}
	return slog.Default()
}

// Handler returns the fasthttp handler that serves the router. Middleware
// chains are built on the first call.
func (r *Router) Handler() fasthttp.RequestHandler {
	r.once.Do(r.compile)
	return r.serve
}

// handlerOn is the handler for kk's Server whose shutdown st tells: its
// requests' contexts learn of the shutdown from st (requestctx.go).
func (r *Router) handlerOn(st *stopping) fasthttp.RequestHandler {
	r.once.Do(r.compile)
	return func(rc *fasthttp.RequestCtx) { r.serveOn(rc, st) }
}

func (r *Router) compile() {
	r.compiled = true
	r.chains = make([]chain, len(r.table.Routes))
	r.minBodyLimit = math.MaxInt64
	for i := range r.table.Routes {
		if l := r.table.Routes[i].BodyLimit; l > 0 {
			r.minBodyLimit = min(r.minBodyLimit, l)
		}
		r.chains[i] = chain{&r.table.Routes[i], r.wrap(bodyStage(&r.table.Routes[i]))} // bodylimit.go
	}
	r.miss = r.wrap(bodyStage(&Route{Handler: r.noRoute})) // the server's limit holds for 404s and 405s too
}

// chain is a route with its middleware chain, found by one index.
type chain struct {
	route *Route
	h     Handler
}

func (r *Router) wrap(h Handler) Handler {
	for i := len(r.mws) - 1; i >= 0; i-- {
		h = r.mws[i](h)
	}
	return h
}

// serve answers one request. Its Ctx comes from the router's own
// sync.Pool, which keeps a free value per P that Get and Put reach without
// locks or atomics: a server reuses about as many Ctx values as it has
// requests in flight, whatever its number of connections, and allocates
// none in the steady state. A router served again from inside one of its
// handlers (mounted, or itself) just takes a second Ctx.
//
// On the way back to the pool the Ctx drops everything the request gave
// it, so an idle Ctx refers to its router alone: the RequestCtx (with its
// peak-sized buffers and its server), the route, a SetContext context, the
// shutdown channel, its server, its own context (cancelled here: the
// handler has returned), and the parameters, which view the request's path. A
// match writes only the first maxParams slots; for up to four (the GitHub
// API needs four) one multiple assignment, whose write barriers the
// compiler batches, clears them for about a third of what a loop costs.
//
// The deferred func recovers only when the chain did not return normally,
// so the common path never calls recover.
func (r *Router) serve(rc *fasthttp.RequestCtx) { r.serveOn(rc, nil) }

// serveOn is serve for a request on kk's Server st (nil for any other).
func (r *Router) serveOn(rc *fasthttp.RequestCtx, st *stopping) {
	c, _ := r.ctxs.Get().(*Ctx)
	if c == nil {
		c = &Ctx{router: r}
	}
	c.RequestCtx, c.srv = rc, st
	served := false
	defer func() {
		r := c.router
		if !served {
			r.panicked(c, recover())
		}
		if st != nil && st.down.Load() {
			// A handler that answers once ShuttingDown has closed may
			// finish before fasthttp's own shutdown flag is set: its
			// answer still tells the client not to reuse the connection.
			rc.SetConnectionClose()
		}
		c.endRequest() // requestctx.go
		c.RequestCtx, c.route, c.ctx, c.done, c.srv, c.req, c.path = nil, nil, nil, nil, nil, nil, nil
		if r.maxParams <= 4 {
			c.params[0], c.params[1], c.params[2], c.params[3] = nil, nil, nil, nil
		} else {
			clear(c.params[:r.maxParams])
		}
		r.ctxs.Put(c)
	}()
	path, err := requestPath(rc, &c.pathB)
	h := r.miss
	if err != nil {
		c.path = rc.URI().PathOriginal() // what was sent: no route, and no decoded path that could name one
	} else {
		c.path = path
		if i := r.match(b2s(rc.Method()), path, &c.params); i >= 0 {
			ch := &r.chains[i]
			c.route, h = ch.route, ch.h
		}
	}
	if st != nil { // on kk's Server, the edge may have refused the request (edge.go)
		if eerr := edgeError(c); eerr != nil {
			err = eerr
		}
	}
	if err != nil {
		r.serveRefused(c, err)
		served = true
		return
	}
	if err := h(c); err != nil {
		r.writeError(c, err)
	}
	served = true
}

// match is the index of the route for method and path, or -1; a HEAD
// with no route of its own is served by the GET route.
func (r *Router) match(method string, path []byte, ps *Params) int {
	i := r.table.Match(method, path, ps)
	if i < 0 && method == fasthttp.MethodHead {
		i = r.table.Match(fasthttp.MethodGet, path, ps)
	}
	return i
}

// serveRefused answers a request refused before its handler, a path that
// cannot be routed (a *PathError) or one the edge refused (edge.go),
// through the router-wide middleware (with the route it matched, if
// any), so access logs and request IDs see it like any other request.
func (r *Router) serveRefused(c *Ctx, err error) {
	if herr := r.wrap(func(*Ctx) error { return err })(c); herr != nil {
		r.writeError(c, herr)
	}
}

// panicked answers a panic p from the handler chain as a logged 500, so
// one bad request never takes the server down. p is nil when the chain
// ended for another reason (runtime.Goexit).
func (r *Router) panicked(c *Ctx, p any) {
	if p != nil {
		id := string(c.Response.Header.Peek(RequestIDHeader))
		r.log().Error("kk: handler panic", "method", string(c.Method()), "path", string(c.Path()),
			"route", c.routePattern(), "request_id", id, "client_ip", clientIP(c), "panic", p, "stack", string(debug.Stack()))
		discardResponse(c) // whatever the chain had written is not to be trusted
		r.writeErrorSafely(c, fmt.Errorf("kk: handler panic: %v", p), fasthttp.StatusInternalServerError)
	}
}

// discardResponse drops everything the chain wrote into c's response,
// status, headers and body, for an answer kk writes in its place (a
// panic's 500, Timeout's 503): a cookie, an ETag or a Location set for
// the answer that is not sent must not go out on the one that is. The
// request ID stays: it is kk's own, and most wanted then.
func discardResponse(c *Ctx) {
	id := c.Response.Header.Peek(RequestIDHeader)
	if len(id) == 0 {
		c.Response.Reset()
		return
	}
	keep := string(id)
	c.Response.Reset()
	c.Response.Header.Set(RequestIDHeader, keep)
}

func (c *Ctx) routePattern() string {
	if c.route == nil {
		return ""
	}
	return c.route.Pattern
}

// noRoute answers a request no route matched: 405 with an Allow header when
// routes of other methods match the path, else 404; 501 for a method that
// neither a route nor the IANA registry knows.
func (r *Router) noRoute(c *Ctx) error {
	method, path := b2s(c.Method()), c.Path()
	allow := r.allowed(method, path, &c.params) // no route matched, so these are free to reuse
	if len(allow) == 0 {
		if !r.knows(method) {
			return Errorf(fasthttp.StatusNotImplemented, "method %s is not implemented", method)
		}
		return Errorf(fasthttp.StatusNotFound, "no route for %s %s", method, path)
	}
	c.Response.Header.Set(fasthttp.HeaderAllow, strings.Join(allow, ", "))
	if !r.knows(method) {
		// RFC 9110 §9.1: a method the server does not recognise is 501,
		// whatever the path; the Allow header still says what is served.
		return Errorf(fasthttp.StatusNotImplemented, "method %s is not implemented; %s allows %s",
			method, path, strings.Join(allow, ", "))
	}
	return Errorf(fasthttp.StatusMethodNotAllowed, "method %s not allowed for %s; allowed: %s",
		method, path, strings.Join(allow, ", "))
}

// allowed lists, sorted, the methods other than method that routes serve
// at path, HEAD included when a GET route serves it. It is the one
// answer to "what does this path allow": a 405's Allow, AutoOptions'
// Allow and CORS's preflight. scratch receives the parameters of the
// matches tried.
func (r *Router) allowed(method string, path []byte, scratch *Params) []string {
	var allow []string
	get, head := false, false
	for _, m := range r.table.Methods {
		if m == method || (m == fasthttp.MethodGet && method == fasthttp.MethodHead) {
			continue
		}
		if r.table.Match(m, path, scratch) >= 0 {
			allow = append(allow, m)
			get = get || m == fasthttp.MethodGet
			head = head || m == fasthttp.MethodHead
		}
	}
	if get && !head && method != fasthttp.MethodHead {
		allow = append(allow, fasthttp.MethodHead) // served by the GET route
		sort.Strings(allow)
	}
	return allow
}

// knows reports whether method is one a route of r has, or one the IANA
// HTTP Method Registry lists (RFC 9110 §16.1; WebDAV's, SEARCH, QUERY,
// ...): the others are answered 501 (RFC 9110 §9.1), not 404 or 405.
func (r *Router) knows(method string) bool {
	if httpmethod.Registered(method) {
		return true
	}
	for _, m := range r.table.Methods {
		if m == method {
			return true
		}
	}
	return false
}
