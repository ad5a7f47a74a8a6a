package kk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
)

// RequestIDHeader is the header RequestID reads and writes.
const RequestIDHeader = "X-Request-ID"

type requestIDKey struct{}

// RequestID gives every request an ID: the client's X-Request-ID when it
// sent a reasonable one, else 16 random hex characters. The ID is echoed in
// the response header and available to handlers as RequestIDOf(c).
func RequestID() Middleware {
	return func(next Handler) Handler {
		return func(c *Ctx) error {
			if RequestIDOf(c) != "" {
				return next(c) // an outer RequestID already gave one
			}
			id := string(c.Request.Header.Peek(RequestIDHeader))
			if !validRequestID(id) {
				var b [8]byte
				_, _ = rand.Read(b[:])
				id = hex.EncodeToString(b[:])
			}
			c.Response.Header.Set(RequestIDHeader, id)
			c.SetUserValue(requestIDKey{}, id)
			return next(c)
		}
	}
}

// RequestIDOf is the ID RequestID gave the request, or "". It takes any
// context of the request: the *kk.Ctx, c.Context() or one derived from it.
func RequestIDOf(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] >= 0x7f {
			return false
		}
	}
	return true
}
