// Package errormap covers mapping handler errors to statuses: //kk:error on
// sentinels (errors.Is) and on error types (errors.As), with pointer and
// value receivers, wrapped or not; then an error's StatusCode method; else
// 500. 5xx bodies never carry the message.
package errormap

import (
	"errors"
	"fmt"

	kk "github.com/kommandkit/kk/runtime"
)

var cases = map[string]error{
	"none":        nil,
	"notfound":    ErrNotFound,
	"notfound-w":  fmt.Errorf("user 7: %w", ErrNotFound),
	"notfound-ww": fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", ErrNotFound)),
	"gone":        ErrGone,
	"forbidden":   ErrForbidden,
	"banned-w":    fmt.Errorf("banned: %w", ErrBanned),
	"joined":      errors.Join(errors.New("first"), ErrGone),
	"maintenance": ErrMaintenance,
	"valid":       &ValidationError{Field: "name"},
	"valid-w":     fmt.Errorf("create: %w", &ValidationError{Field: "email"}),
	"rate":        RateError{Limit: 5},
	"rate-ptr":    &RateError{Limit: 5},
	"rate-w":      fmt.Errorf("slow down: %w", RateError{}),
	"temporary":   fmt.Errorf("calling upstream: %w", upstreamError{}),
	"teapot":      teapot{},
	"teapot-w":    fmt.Errorf("brewing: %w", teapot{}),
	"conflict":    &ConflictError{},
	"redirect":    redirect{},
	"kkerror":     kk.Error(451, "unavailable for legal reasons"),
	"kkerror-w":   fmt.Errorf("ctx: %w", kk.Error(402, "pay up")),
	"kkerror-5xx": kk.Error(500, "stack trace here"),
	"kkerrorf":    kk.Errorf(400, "bad %s: %w", "input", ErrNotFound),
	"plain":       errors.New("disk full at /var/secret"),
}

//kk:route GET /fail/:name
func Fail(name string) error {
	err, ok := cases[name]
	if !ok {
		return fmt.Errorf("no case %q", name)
	}
	return err
}

//kk:route GET /value/:name
func Value(name string) (string, error) {
	return "value", Fail(name)
}
