// Package quiet marks a context whose kk.Run does not watch the process's
// signals. kktest's servers use it: they stop at test cleanup, and a
// Ctrl-C during `go test` must still stop the test binary.
package quiet

import "context"

type key struct{}

// With returns ctx marked quiet.
func With(ctx context.Context) context.Context { return context.WithValue(ctx, key{}, true) }

// Is reports whether ctx was marked by With.
func Is(ctx context.Context) bool { q, _ := ctx.Value(key{}).(bool); return q }
