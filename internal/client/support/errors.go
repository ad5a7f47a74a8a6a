package support

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// Error is an error answer: the status and the problem body (RFC 9457)
// the server sent with it. Match it with errors.As:
//
//	var e *Error
//	if errors.As(err, &e) && e.Status == http.StatusNotFound { ... }
type Error struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []FieldError `json:"errors,omitempty"` // per-field validation failures
	// Header is the answer's header: Allow on a 405, WWW-Authenticate on a
	// 401, Retry-After on a 503.
	Header http.Header `json:"-"`
}

// FieldError is one invalid field of a request, in an Error's Errors.
type FieldError struct {
	Field   string `json:"field"`
	In      string `json:"in,omitempty"` // where the field was: path, query, header, cookie, form or body
	Message string `json:"message"`
}

// Error says the status and, when the server gave one, the detail.
func (e *Error) Error() string {
	s := fmt.Sprintf("%d %s", e.Status, e.Title)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// StatusCode is the answer's status.
func (e *Error) StatusCode() int { return e.Status }

// errorOf reads a non-2xx answer into an *Error: its problem body when it
// has one, else its text as the detail.
func errorOf(resp *http.Response) *Error {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	e := &Error{}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt == "application/problem+json" || mt == "application/json" {
		if json.Unmarshal(body, e) != nil {
			e = &Error{}
		}
	}
	if e.Title == "" && e.Detail == "" {
		e.Detail = strings.TrimSpace(string(body))
	}
	e.Status, e.Header = resp.StatusCode, resp.Header
	if e.Title == "" {
		e.Title = http.StatusText(resp.StatusCode)
	}
	return e
}
