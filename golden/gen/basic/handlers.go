// Package basic covers each path-parameter kind, result kind and error
// mapping in one small package.
package basic

import (
	"context"
	"errors"
	"strings"

	kk "github.com/kommandkit/kk/runtime"
)

//kk:error 404
var ErrNotFound = errors.New("not found")

// ConflictError is an error type mapped to 409.
//
//kk:error 409
type ConflictError struct{ What string }

func (e *ConflictError) Error() string { return e.What + " already exists" }

type UserID int64

type Slug string

// Upper decodes itself through encoding.TextUnmarshaler.
type Upper string

func (u *Upper) UnmarshalText(b []byte) error {
	if len(b) > 8 {
		return errors.New("too long")
	}
	*u = Upper(strings.ToUpper(string(b)))
	return nil
}

//kk:route GET /users/:id
func GetUser(c *kk.Ctx, id UserID) (map[string]any, error) {
	if id == 0 {
		return nil, ErrNotFound
	}
	return map[string]any{"id": id}, nil
}

//kk:route GET /users/new
func NewUserForm() string { return "form" }

//kk:route GET /users/:id/profile
func Profile(ctx context.Context, id int8) string { return "profile" }

//kk:route POST /users/:slug
func CreateUser(slug Slug) error {
	return &ConflictError{What: string(slug)}
}

//kk:route GET /up/:v
func Up(v Upper) []byte { return []byte(v) }

//kk:route GET /files/*path
//kk:route GET /raw/*path
func File(path string) string { return path }

//kk:route DELETE /flags/:on/:ratio
func Flag(on bool, ratio float32) {}
