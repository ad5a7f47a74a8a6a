// Package ctxparam covers the optional first parameter: *kk.Ctx,
// context.Context, or none.
package ctxparam

import (
	"context"
	"fmt"

	kk "github.com/kommandkit/kk/runtime"
)

//kk:route GET /kk/:id
func WithKK(c *kk.Ctx, id int) string {
	c.Response.Header.Set("X-Route", c.Route().Pattern)
	return fmt.Sprintf("kk %d q=%s param=%s", id, c.QueryArgs().Peek("q"), c.Param("id"))
}

//kk:route GET /context/:id
func WithContext(ctx context.Context, id int) (string, error) {
	c, ok := ctx.(*kk.Ctx)
	if !ok {
		return "", fmt.Errorf("ctx is a %T", ctx)
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return fmt.Sprintf("context %d %s", id, c.Method()), nil
}

//kk:route GET /none/:id
func Without(id int) string { return fmt.Sprintf("none %d", id) }

// Unnamed: the context parameter needs no name.
//
//kk:route GET /blank
func Blank(_ *kk.Ctx) string { return "blank" }

//kk:route GET /ctxonly
func CtxOnly(context.Context) string { return "ctxonly" }
