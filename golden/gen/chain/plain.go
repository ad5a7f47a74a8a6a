package chain

import kk "github.com/kommandkit/kk/runtime"

// Files without a //kk:group get no group middleware or prefix.

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
