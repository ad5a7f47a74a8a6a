package kk

import (
	"errors"
	"strings"
)

// FieldError is one invalid input: which field, where it came from and
// what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	In      string `json:"in,omitempty"`
	Message string `json:"message"`
}

// FieldErrors is a validation failure listing every invalid field. Return
// it (or wrap it) from a Validate method; it answers 422 and its fields are
// listed in the problem body's "errors" member.
type FieldErrors []FieldError

func (fe FieldErrors) Error() string {
	parts := make([]string, len(fe))
	for i, f := range fe {
		parts[i] = f.Field + ": " + f.Message
	}
	return strings.Join(parts, "; ")
}

// StatusCode is 422 Unprocessable Content.
func (fe FieldErrors) StatusCode() int { return 422 }

// ValidationError is a failed Validate method. It answers 422; the
// problem detail is the error's message, and any FieldErrors in its chain
// are listed.
type ValidationError struct{ Err error }

func (e *ValidationError) Error() string   { return e.Err.Error() }
func (e *ValidationError) Unwrap() error   { return e.Err }
func (e *ValidationError) StatusCode() int { return 422 }

func fieldErrors(err error) FieldErrors {
	var fe FieldErrors
	if errors.As(err, &fe) {
		return fe
	}
	return nil
}
