// Package errorsonly has no routes, only error annotations: its router
// answers every request 404, and maps errors for code that calls StatusOf.
package errorsonly

import (
	"errors"

	kk "github.com/kommandkit/kk/runtime"
)

//kk:error 404
var ErrMissing = errors.New("missing")

// QuotaError is over quota.
//
//kk:error 429
type QuotaError struct{}

func (QuotaError) Error() string { return "over quota" }

//kk:errorhandler 404
func Missing(c *kk.Ctx, err error) { c.SetBodyString("nothing here") }
