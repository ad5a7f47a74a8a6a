// Package chain covers the order of middleware: router-wide (Router.Use)
// outermost, then the file's //kk:group use=..., then //kk:use in
// annotation order, then //kk:timeout closest to the handler. Every
// middleware records itself on the way in (X-In, with "+deadline" when the
// request's context has one) and on the way out (X-Out).
package chain

import (
	"strconv"

	kk "github.com/kommandkit/kk/runtime"
)

// trace is a middleware that records name.
func trace(name string) kk.Middleware {
	return func(next kk.Handler) kk.Handler {
		return func(c *kk.Ctx) error {
			in := name
			if _, ok := c.Deadline(); ok {
				in += "+deadline"
			}
			c.Response.Header.Add("X-In", in)
			err := next(c)
			out := name
			if err != nil {
				out += ":" + strconv.Itoa(c.Router().StatusOf(err))
			}
			c.Response.Header.Add("X-Out", out)
			return err
		}
	}
}

// Outer is a func declaration.
func Outer(next kk.Handler) kk.Handler { return trace("outer")(next) }

// Inner is a kk.Middleware var.
var Inner kk.Middleware = trace("inner")

// One is a var of the plain func type.
var One = func(next kk.Handler) kk.Handler { return trace("one")(next) }

// Two is built by a factory.
var Two = trace("two")

// Route records the matched route as middleware sees it.
func Route(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		r := c.Route()
		c.Response.Header.Set("X-Route", r.Method+" "+r.Pattern+" "+r.Name)
		return next(c)
	}
}

// Deny answers 403 without calling the handler when ?deny is set.
func Deny(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		if c.QueryArgs().Has("deny") {
			return kk.Error(403, "denied")
		}
		return next(c)
	}
}
