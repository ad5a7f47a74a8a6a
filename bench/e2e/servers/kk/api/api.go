// Package api is the kk end-to-end server's handlers; kk_gen.go is
// written by kkgen (go generate ./e2e/...).
package api

import (
	kk "github.com/kommandkit/kk/runtime"

	"github.com/kommandkit/kk/bench/e2e/workload"
)

//go:generate go run github.com/kommandkit/kk/cmd/kkgen

// Hello is the plaintext workload.
//
//kk:route GET /
func Hello() string { return workload.Hello }

// GetUser is the JSON workload: id decoded by kk, the user encoded by kk
// with encoding/json.
//
//kk:route GET /users/:id
func GetUser(id int64) workload.User { return workload.NewUser(id) }

// Echo answers the request body as JSON. body is the raw request body
// (kk binds a []byte parameter that no path parameter names to it, a view
// of c.PostBody()); kk copies the returned bytes into the response and
// keeps the content type set here. The other servers echo the raw body
// too, so no server decodes JSON in this workload.
//
//kk:route POST /echo
func Echo(c *kk.Ctx, body []byte) []byte {
	c.Response.Header.SetContentType("application/json")
	return body
}
