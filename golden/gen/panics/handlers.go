// Package panics covers handler panics: each is a logged 500 whose body
// holds nothing from the panic, and the router keeps serving.
package panics

import (
	"errors"

	kk "github.com/kommandkit/kk/runtime"
)

//kk:route GET /panic/string
func PanicString() string { panic("secret panic value") }

//kk:route GET /panic/error
func PanicError() error { panic(errors.New("secret panic error")) }

//kk:route GET /panic/after-write
func PanicAfterWrite(c *kk.Ctx) {
	c.Response.Header.Set("X-Partial", "yes")
	c.SetStatusCode(201)
	c.SetBodyString("partial body")
	panic("late")
}

//kk:route GET /panic/index/:i
func PanicIndex(i int) int {
	xs := []int{1, 2, 3}
	return xs[i]
}

//kk:route GET /ok
func OK() string { return "ok" }
