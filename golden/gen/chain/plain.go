// The root group: no group middleware and no prefix, said outright since
// grouped.go's group adds middleware.
//
//kk:group /
package chain

import kk "github.com/kommandkit/kk/runtime"

//kk:route GET /plain
//kk:use Two
func Plain(c *kk.Ctx) string {
	record(c)
	return "plain"
}

//kk:route GET /bare
func Bare(c *kk.Ctx) string {
	record(c)
	return "bare"
}
