// Package workload is what every end-to-end server serves, so that they
// all do the same work and differ only in the router and framework:
//
//	GET /            200 "Hello, World!" as text/plain; charset=utf-8
//	GET /users/:id   200 {"id":ID,"name":"Ada Lovelace","email":"ada@example.com"}
//	                 as application/json; id is decoded as an int64 (400 if not)
//	POST /echo       200 with the request body, as application/json
//
// Every server encodes the user with encoding/json and shares the limits
// below, kk's defaults (a zero kk.Server), so none is faster for doing less.
package workload

import "time"

// Hello is the plaintext body.
const Hello = "Hello, World!"

// User is the JSON object GET /users/:id answers.
type User struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// NewUser is the user with the given id.
func NewUser(id int64) User { return User{ID: id, Name: "Ada Lovelace", Email: "ada@example.com"} }

// Server limits, the same as kk's defaults, for every server.
const (
	ReadTimeout        = 30 * time.Second
	WriteTimeout       = 30 * time.Second
	IdleTimeout        = 2 * time.Minute
	MaxRequestBodySize = 4 << 20
	MaxHeaderSize      = 16 << 10 // fasthttp's ReadBufferSize, as kk sets it
)

// EchoBody is what the load generator posts to /echo.
const EchoBody = `{"name":"Ada Lovelace","email":"ada@example.com","tags":["math","engines"],"age":36}`
