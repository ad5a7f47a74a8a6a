package kk

import (
	"slices"
	"strings"

	"github.com/valyala/fasthttp"
)

// AutoOptions answers OPTIONS requests from the route table: for a path
// that routes serve and that has no OPTIONS route of its own, 204 with an
// Allow header listing the path's methods (HEAD with GET, and OPTIONS),
// the same list a 405 gives. Install it with Router.Use: it sees the
// requests no route matched. Without it, such an OPTIONS is a 405 (an
// OPTIONS route of the package is served as any route is). A CORS
// preflight is left to CORS, whichever is installed first; a path that
// no route serves stays a 404.
func AutoOptions() Middleware {
	return func(next Handler) Handler {
		return func(c *Ctx) error {
			if c.route != nil || !c.IsOptions() || isPreflight(c) {
				return next(c)
			}
			allow := c.router.allowed(fasthttp.MethodOptions, c.Path(), &c.params) // no route matched: free
			if len(allow) == 0 {
				return next(c)
			}
			allow = append(allow, fasthttp.MethodOptions)
			slices.Sort(allow)
			c.Response.Header.Set(fasthttp.HeaderAllow, strings.Join(allow, ", "))
			c.SetStatusCode(fasthttp.StatusNoContent)
			return nil
		}
	}
}

// isPreflight says whether c is a CORS preflight: an OPTIONS with Origin
// and Access-Control-Request-Method.
func isPreflight(c *Ctx) bool {
	return c.IsOptions() && len(c.Request.Header.Peek("Origin")) > 0 &&
		len(c.Request.Header.Peek("Access-Control-Request-Method")) > 0
}

// pathMethods is what the path of c allows besides OPTIONS, from the
// route table, for a CORS preflight.
func pathMethods(c *Ctx) []string {
	scratch := &c.params
	if c.route != nil { // an OPTIONS route matched: its parameters are in use
		scratch = new(Params)
	}
	return c.router.allowed(fasthttp.MethodOptions, c.Path(), scratch)
}
