// Package headroute covers explicit HEAD routes: one wins over the GET
// route of the same path, and GET still serves HEAD for other paths.
package headroute

import kk "github.com/kommandkit/kk/runtime"

//kk:route HEAD /explicit
func HeadExplicit(c *kk.Ctx) { c.Response.Header.Set("X-Head", "explicit") }

//kk:route GET /explicit
func GetExplicit(c *kk.Ctx) string {
	c.Response.Header.Set("X-Head", "from GET")
	return "explicit body"
}

//kk:route GET /docs
func Docs() string { return "documentation" }

//kk:route HEAD /head-only/:id
func HeadOnly(c *kk.Ctx, id int) { c.Response.Header.Set("X-Id", c.Param("id")) }
