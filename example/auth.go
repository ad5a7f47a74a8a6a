package main

import (
	"bytes"
	"crypto/subtle"
	"net/http"

	kk "github.com/kommandkit/kk/runtime"
)

// Auth checks the bearer token that every write to the API must carry.
// main sets Token from $API_TOKEN (dev-token when unset); tests give their
// own.
type Auth struct {
	Token string
}

// Require is route middleware, named by //kk:use Auth.Require on the
// handlers that change data. It lets a request through only with an
// "Authorization: Bearer <token>" header carrying a.Token. Anything else
// is a 401 with a WWW-Authenticate challenge (RFC 6750) that says which:
// no token, or a wrong one (error="invalid_token"). It runs before the
// handler's wrapper decodes anything, so an unauthorized request never has
// its body read. //kk:security puts the requirement, and the 401, on
// exactly the routes it wraps in the API document.
//
//kk:security bearer
func (a *Auth) Require(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		header := c.Request.Header.Peek("Authorization")
		scheme, token, _ := bytes.Cut(header, []byte(" "))
		bearer := bytes.EqualFold(scheme, []byte("Bearer")) // schemes are case-insensitive (RFC 9110, 11.1)
		switch {
		case len(header) == 0:
			c.Response.Header.Set("WWW-Authenticate", `Bearer realm="kk-example"`)
			return kk.Error(http.StatusUnauthorized, "this route needs an Authorization: Bearer token")
		case !bearer:
			c.Response.Header.Set("WWW-Authenticate", `Bearer realm="kk-example"`)
			return kk.Error(http.StatusUnauthorized, "the Authorization header must be a Bearer token")
		case subtle.ConstantTimeCompare(token, []byte(a.Token)) != 1:
			c.Response.Header.Set("WWW-Authenticate", `Bearer realm="kk-example", error="invalid_token"`)
			return kk.Error(http.StatusUnauthorized, "the bearer token is wrong")
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
