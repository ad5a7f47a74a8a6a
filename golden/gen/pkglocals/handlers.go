// Package pkglocals covers package-level declarations named like the
// locals a generated wrapper would use (c, err, res): the wrappers must
// name their own locals otherwise (kkCtx, kkErr, kkRes) so the package's
// declarations stay visible to the handlers they call. Parameters named
// like those fallbacks are renamed in turn.
package pkglocals

import (
	"errors"
	"fmt"

	kk "github.com/kommandkit/kk/runtime"
)

// err is a package-level type, used as a parameter type.
type err int

// res is a package-level var.
var res = "package res"

// ErrOdd is a sentinel the error mapping matches.
//
//kk:error 422
var ErrOdd = errors.New("odd")

// c is a routed handler named like the wrapper's context parameter.
//
//kk:route GET /c
func c() string { return "c " + res }

// T takes a parameter of the package-level type err.
//
//kk:route GET /t/:v
func T(v err) (string, error) {
	if v%2 != 0 {
		return "", fmt.Errorf("%d: %w", v, ErrOdd)
	}
	return fmt.Sprintf("T %d %s", v, res), nil
}

// Res uses the context and takes parameters named like the fallbacks.
//
//kk:route GET /res/:kkCtx/:kkErr/:kkRes
func Res(ctx *kk.Ctx, kkCtx string, kkErr err, kkRes bool) (string, error) {
	ctx.Response.Header.Set("X-Route", ctx.Route().Pattern)
	return fmt.Sprintf("%s %d %v %s", kkCtx, kkErr, kkRes, res), nil
}

// Only returns only an error.
//
//kk:route DELETE /t/:v
func Only(v err) error {
	if v%2 != 0 {
		return ErrOdd
	}
	return nil
}

// Value returns a JSON value of the package's own type.
//
//kk:route GET /value/:v
func Value(v err) err { return v * 2 }
