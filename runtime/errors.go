package kk

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/valyala/fasthttp"
)

// StatusCoder is implemented by errors that carry their own HTTP status.
// Router.StatusOf consults it after the package's //kk:error annotations.
type StatusCoder interface {
	StatusCode() int
}

// StatusError is an error with an HTTP status, made by Error and Errorf.
type StatusError struct {
	Status int
	Msg    string
	Err    error // wrapped by Errorf's %w, if any
}

func (e *StatusError) Error() string   { return e.Msg }
func (e *StatusError) StatusCode() int { return e.Status }
func (e *StatusError) Unwrap() error   { return e.Err }

// Error returns an error that answers with status and, for a 4xx, msg as the
// problem detail.
func Error(status int, msg string) error { return &StatusError{Status: status, Msg: msg} }

// Errorf is Error with a format; a %w verb wraps its operand, so errors.Is
// and errors.As see through it.
func Errorf(status int, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &StatusError{Status: status, Msg: err.Error(), Err: errors.Unwrap(err)}
}

// StatusOf is the status err answers with: 400 for a parameter that failed
// to decode and 422 for a failed Validate method (whatever their errors
// wrap), then the package's
// //kk:error annotations, then the error's own StatusCode method (anywhere
// in its chain), else 500. Statuses outside 400–599 are treated as 500: an
// error is never a success.
func (r *Router) StatusOf(err error) int {
	var pe *ParamError
	if errors.As(err, &pe) {
		return pe.StatusCode()
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.StatusCode()
	}
	if r.table.StatusOf != nil {
		if s := r.table.StatusOf(err); s != 0 {
			return s
		}
	}
	var sc StatusCoder
	if errors.As(err, &sc) {
		if s := sc.StatusCode(); s >= 400 && s <= 599 {
			return s
		}
	}
	return fasthttp.StatusInternalServerError
}

// writeError renders err as the response: its status, then the error
// handler registered for that status or a problem-details body. 5xx errors
// are logged and their message is never sent.
func (r *Router) writeError(c *Ctx, err error) {
	status := r.StatusOf(err)
	if status >= 500 {
		r.log().Error("kk: handler error", "method", string(c.Method()), "path", string(c.Path()),
			"route", c.routePattern(), "status", status, "err", err)
	}
	r.writeErrorSafely(c, err, status)
}

// writeErrorSafely writes the error response, falling back to the default
// body if a user error handler panics.
func (r *Router) writeErrorSafely(c *Ctx, err error, status int) {
	c.Response.ResetBody()
	c.Response.Header.SetContentLength(0)
	c.SetStatusCode(status)
	if h := r.onError[status]; h != nil {
		defer func() {
			if p := recover(); p != nil {
				r.log().Error("kk: error handler panic", "status", status, "panic", p)
				c.Response.ResetBody()
				c.SetStatusCode(status)
				writeProblem(c.RequestCtx, status, err)
			}
		}()
		h(c, err)
		return
	}
	writeProblem(c.RequestCtx, status, err)
}

// Problem is an RFC 9457 problem-details body, the default error response.
type Problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []FieldError `json:"errors,omitempty"` // per-field validation failures
}

// NewProblem is the problem body for err at status: the error's message is
// the detail for a 4xx and left out for a 5xx, whose message may hold
// internals.
func NewProblem(status int, err error) Problem {
	p := Problem{Type: "about:blank", Title: fasthttp.StatusMessage(status), Status: status}
	if status < 500 && err != nil {
		p.Detail = err.Error()
		p.Errors = fieldErrors(err)
	}
	return p
}

// writeProblem sets the problem-details body for err at status; every
// problem kk answers, routed or not, is written here.
func writeProblem(rc *fasthttp.RequestCtx, status int, err error) {
	body, _ := json.Marshal(NewProblem(status, err))
	rc.SetContentType("application/problem+json")
	rc.SetBody(body)
}

// ParamError is a request parameter (path, query, header, cookie or form)
// that failed to decode. It answers 400 and its message names the
// parameter and the value.
type ParamError struct {
	In    In     // where the parameter came from
	Name  string // the parameter, as named in the pattern or its key
	Value string // the raw value from the path
	Type  string // what it should have been, e.g. "int8"
	Err   error  // the decoder's error
}

func (e *ParamError) Error() string {
	// The decoders store strconv's bare sentinels; any other error is a
	// user decoder's, whose message is kept.
	if e.Err == strconv.ErrRange {
		return e.In.String() + " " + strconv.Quote(e.Name) + ": " + strconv.Quote(e.Value) + " is out of range for " + e.Type
	}
	msg := e.In.String() + " " + strconv.Quote(e.Name) + ": " + strconv.Quote(e.Value) + " is not a valid " + e.Type
	if e.Err != nil && e.Err != strconv.ErrSyntax {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *ParamError) StatusCode() int { return 400 }
func (e *ParamError) Unwrap() error   { return e.Err }
