package main

import (
	"bytes"
	"cmp"
	"crypto/subtle"
	"net/http"
	"os"

	kk "github.com/kommandkit/kk/runtime"
)

// apiToken is the bearer token that every write to the API must carry:
// $API_TOKEN when the process starts, else a development default.
var apiToken = cmp.Or(os.Getenv("API_TOKEN"), "dev-token")

// Authorized is route middleware, named by //kk:use on the handlers that
// change data. It lets a request through only with an
// "Authorization: Bearer <token>" header carrying apiToken; anything else
// is a 401 with a WWW-Authenticate challenge. It runs before the handler's
// wrapper decodes anything, so an unauthorized request never has its body
// read.
func Authorized(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		token, ok := bytes.CutPrefix(c.Request.Header.Peek("Authorization"), []byte("Bearer "))
		if !ok || subtle.ConstantTimeCompare(token, []byte(apiToken)) != 1 {
			c.Response.Header.Set("WWW-Authenticate", `Bearer realm="kk-example"`)
			return kk.Error(http.StatusUnauthorized, "this route needs an Authorization: Bearer token")
		}
		return next(c)
	}
}

// revalidate is the middleware of the /api/v1 group (//kk:group ...
// use=revalidate in users.go and todos.go): API answers change with every
// write, so caches must check with the server before reusing one. That is
// what the ETag of search results is for.
func revalidate(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		c.Response.Header.Set("Cache-Control", "no-cache")
		return next(c)
	}
}
