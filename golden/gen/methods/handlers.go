// Package methods covers per-method matching: routes of other methods never
// shadow a match, HEAD is served by GET (and listed in Allow with it), and a
// path that only other methods match answers 405 with an Allow header.
package methods

import kk "github.com/kommandkit/kk/runtime"

//kk:route POST /networks/create
func CreateNetwork() string { return "created" }

//kk:route GET /networks/:id
func GetNetwork(id string) string { return "network " + id }

//kk:route PUT /networks/:id
func PutNetwork(id string) string { return "put " + id }

//kk:route DELETE /networks/:name
func DeleteNetwork(name string) error { return nil }

//kk:route GET /docs
func Docs(c *kk.Ctx) string {
	c.Response.Header.Set("X-Docs", "1")
	return "documentation"
}

//kk:route PATCH /only-patch
func OnlyPatch() string { return "patched" }

//kk:route OPTIONS /networks/:id
func Options(c *kk.Ctx, id string) {
	c.Response.Header.Set("X-Options", id)
}

//kk:route PROPFIND /dav/:res
func PropFind(res string) string { return "propfind " + res }
