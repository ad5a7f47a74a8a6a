package errormap

import "errors"

// Sentinels in a group, each with its own annotation.
var (
	//kk:error 404
	ErrNotFound = errors.New("not found")

	//kk:error 410
	ErrGone = errors.New("gone")
)

// Two sentinels in one spec share the annotation.
//
//kk:error 403
var ErrForbidden, ErrBanned = errors.New("forbidden"), errors.New("banned")

// ErrMaintenance is a 5xx: its message is logged, never sent.
//
//kk:error 503
var ErrMaintenance = errors.New("maintenance: db password is hunter2")

// ValidationError has a pointer receiver: matched as *ValidationError.
//
//kk:error 422
type ValidationError struct{ Field string }

func (e *ValidationError) Error() string { return "invalid " + e.Field }

// RateError has a value receiver: matched as RateError and *RateError.
//
//kk:error 429
type RateError struct{ Limit int }

func (e RateError) Error() string { return "rate limited" }

// Temporary is an interface error type, matched by errors.As.
//
//kk:error 502
type Temporary interface {
	error
	Temporary() bool
}

type upstreamError struct{}

func (upstreamError) Error() string   { return "upstream secret detail" }
func (upstreamError) Temporary() bool { return true }

// teapot carries its own status; ConflictError's annotation wins over its
// StatusCode method.
type teapot struct{}

func (teapot) Error() string   { return "short and stout" }
func (teapot) StatusCode() int { return 418 }

//kk:error 409
type ConflictError struct{}

func (*ConflictError) Error() string   { return "conflict" }
func (*ConflictError) StatusCode() int { return 400 }

// redirect's status is not an error status, so it answers 500.
type redirect struct{}

func (redirect) Error() string   { return "moved" }
func (redirect) StatusCode() int { return 302 }
