package kk

import (
	"context"
	"time"
	"unsafe"

	"github.com/valyala/fasthttp"
)

// MaxParams is the most path parameters one pattern may declare. Generated
// matchers write parameters into a fixed array of this size, which keeps the
// hot path free of allocation; kkgen rejects patterns with more.
const MaxParams = 32

// Params holds the path parameters a matcher captured, in pattern order, as
// views into the request path. They are valid only while the request is
// being served.
type Params [MaxParams][]byte

// Handler serves one request. A non-nil error is mapped to a status and an
// error body by the Router.
type Handler func(c *Ctx) error

// Middleware wraps a Handler. Composition is plain function wrapping: the
// first middleware given to Use is the outermost.
type Middleware func(next Handler) Handler

// ErrorHandler writes the response for an error whose status it was
// registered for, in place of the default problem-details body. The status
// is already set when it runs.
type ErrorHandler func(c *Ctx, err error)

// Ctx is the request context handed to handlers and middleware. It embeds
// the fasthttp request context, so c.Request, c.Response, c.QueryArgs() and
// the rest of fasthttp's API are available directly, and it implements
// context.Context.
//
// A Ctx is pooled and reused: it, and every []byte view taken from it, must
// not be kept after the handler returns.
type Ctx struct {
	*fasthttp.RequestCtx

	router *Router // set once: each Router pools its own Ctx values
	route  *Route
	params Params
	path   []byte          // the path routed on (path.go), a view valid while the request is served
	pathB  []byte          // where path is built when it differs from the path as sent; kept across requests
	ctx    context.Context // set by SetContext (a deadline, values); nil means none
	done   <-chan struct{} // the shutdown-begun channel, once read (see shutdown)
	srv    *stopping       // the kk Server serving the request; nil on a plain fasthttp.Server
	req    *requestContext // the request's own context, made on first use (requestctx.go)
}

// Route is the route that matched the request, or nil when none did (while
// a 404 or 405 is being served). Middleware uses it to learn the method,
// pattern and handler name without importing the generated package.
func (c *Ctx) Route() *Route { return c.route }

// Path is the path the request was routed on: the path as sent with its
// dot segments removed and each segment decoded (path.go). It shadows
// fasthttp's RequestCtx.Path, which decodes before removing dot segments
// and so can name another route than the one that matched.
func (c *Ctx) Path() []byte {
	if c.path == nil {
		return c.RequestCtx.Path()
	}
	return c.path
}

// Router is the router serving the request.
func (c *Ctx) Router() *Router { return c.router }

// Param is the value of the path parameter called name, or "" when the
// matched route has no such parameter. It copies; ParamBytes does not.
func (c *Ctx) Param(name string) string { return string(c.ParamBytes(name)) }

// ParamBytes is the value of the path parameter called name as a view into
// the decoded request path, valid only until the handler returns, or nil
// when the matched route has no such parameter.
func (c *Ctx) ParamBytes(name string) []byte {
	if c.route == nil {
		return nil
	}
	for i, n := range c.route.Params {
		if n == name {
			return c.params[i]
		}
	}
	return nil
}

// b2s views b as a string without copying. The caller must not let the
// string outlive b or modify b while the string is in use.
func b2s(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// Context is the request's context.Context: the one SetContext installed,
// else the request's own, which is cancelled when the handler returns or
// the server's ShutdownTimeout passes, and whose values are the
// RequestCtx's user values. A graceful shutdown does not cancel it: a
// handler learns that one has begun from ShuttingDown. Derive contexts from
// it rather than from c, which is pooled; but its values are read from the
// request as it is served, so work that outlives the handler needs a
// context of its own.
//
// For a handler whose result is an io.Reader, "returns" means once the
// body is sent, so a reader that reads with the request's context (a
// database cursor, an object store's body) streams to the end.
func (c *Ctx) Context() context.Context {
	if c.ctx != nil {
		return c.ctx
	}
	return c.request()
}

// request is the request's own context, made on first use.
func (c *Ctx) request() *requestContext {
	if c.req == nil {
		parent := context.Background()
		if c.srv != nil {
			parent = c.srv.cut
		}
		c.req = &requestContext{rc: c.RequestCtx, begun: c.shutdown(), parent: parent}
	}
	return c.req
}

// endRequest cancels the request's own context as its handler returns,
// or, when the response streams a handler's io.Reader, once that stream
// is closed (stream.go).
func (c *Ctx) endRequest() {
	if c.req == nil {
		return
	}
	if s, ok := c.Response.BodyStream().(*responseStream); ok {
		s.end = c.req.end
		return
	}
	c.req.end()
}

// shutdown is the channel closed when the server serving the request
// begins to shut down: kk's Server's own, else fasthttp's Done. fasthttp's
// Done reads a server field that Shutdown later clears, so it is read
// once, on the request's goroutine, and context goroutines only ever see
// the copy. A RequestCtx that no server set up (a bare one in a benchmark)
// has no such channel.
func (c *Ctx) shutdown() <-chan struct{} {
	if c.done == nil {
		if c.srv != nil {
			c.done = c.srv.begun
		} else {
			c.done = serverDone(c.RequestCtx)
		}
	}
	return c.done
}

func serverDone(rc *fasthttp.RequestCtx) (done <-chan struct{}) {
	defer func() {
		if recover() != nil {
			done = nil // never closes
		}
	}()
	return rc.Done()
}

// SetContext replaces the request's context, typically with one derived
// from c.Context() that adds a deadline or values. c's own
// context.Context methods follow it.
func (c *Ctx) SetContext(ctx context.Context) { c.ctx = ctx }

// Deadline, Done, Err and Value make *Ctx the request's context.Context:
// the one Context returns.
func (c *Ctx) Deadline() (time.Time, bool) {
	if c.ctx != nil {
		return c.ctx.Deadline()
	}
	return time.Time{}, false
}

func (c *Ctx) Done() <-chan struct{} {
	if c.ctx != nil {
		return c.ctx.Done()
	}
	return c.request().Done()
}

func (c *Ctx) Err() error {
	if c.ctx != nil {
		return c.ctx.Err()
	}
	return c.request().Err()
}

func (c *Ctx) Value(key any) any {
	switch {
	case c.ctx != nil:
		return c.ctx.Value(key)
	case key == cancelCtxKey && key != nil:
		return c.request().Value(key)
	case key == shuttingDownKey{}:
		return c.shutdown()
	}
	return c.RequestCtx.UserValue(key)
}
