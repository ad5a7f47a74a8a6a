// Package middleware covers Router.Use: middleware wraps every route and the
// 404 and 405 answers, the first given is the outermost, and it can read the
// matched route, short-circuit, or turn a result into an error.
package middleware

import kk "github.com/kommandkit/kk/runtime"

//kk:route GET /hello/:name
func Hello(c *kk.Ctx, name string) string {
	c.Response.Header.Add("X-Trace", "handler")
	return "hello " + name
}

//kk:route POST /items
func CreateItem() error { return nil }

//kk:route GET /admin
func Admin() string { return "admin area" }
