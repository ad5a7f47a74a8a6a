// Package dialvia carries a connection dialer in a context. kktest puts
// its in-memory listener's dialer there, so kk.DialWebSocket, unchanged,
// reaches a kktest.Server without a socket; nothing outside kk's own
// module can set one.
package dialvia

import (
	"context"
	"net"
)

// Func dials a connection, as net.Dialer.DialContext does.
type Func func(ctx context.Context, network, addr string) (net.Conn, error)

type key struct{}

// With returns ctx carrying dial.
func With(ctx context.Context, dial Func) context.Context {
	return context.WithValue(ctx, key{}, dial)
}

// From is the dialer ctx carries, or nil.
func From(ctx context.Context) Func {
	f, _ := ctx.Value(key{}).(Func)
	return f
}
