package kk

import (
	"net"
	"time"

	"github.com/kommandkit/kk/runtime/internal/edge"
)

// On kk's own servers (Server, Run, Serve, ListenAndServe), which keep hijacked
// connections, a WebSocket is detached from fasthttp once upgraded: kk
// reads the socket itself, and fasthttp takes back, at once, the request
// context and the read buffer (MaxHeaderSize, 16 KiB by default) that it
// would otherwise keep for the connection's whole life. A plain
// fasthttp.Server closes a hijacked connection when its hijack handler
// returns, so there UpgradeWebSocket keeps fasthttp's hijack goroutine for
// the connection's life instead (wsupgrade.go).

// buffered takes what fasthttp's reader already holds beyond the request
// (a client that sent frames before the 101), so that reader can go: a
// read past its deadline returns what is buffered and then fails without
// touching the socket, which keeps anything newer.
func buffered(hjc, raw net.Conn) []byte {
	_ = raw.SetReadDeadline(time.Now())
	defer raw.SetReadDeadline(time.Time{})
	var early []byte
	buf := make([]byte, 512)
	for {
		n, err := hjc.Read(buf)
		early = append(early, buf[:n]...)
		if err != nil || n == 0 {
			return early
		}
	}
}

// wsSocket is the socket under an upgraded connection: past the 101 the
// connection speaks WebSocket, not HTTP, so the edge's request-head
// watching and lingering close (internal/edge) step aside; kk's WebSocket
// does its own closing handshake.
func wsSocket(hjc net.Conn) net.Conn {
	raw := socketOf(hjc)
	if e, ok := raw.(*edge.Conn); ok {
		return e.Conn
	}
	return raw
}

// socketOf is the connection under fasthttp's hijacked conn, whose Close
// does nothing (fasthttp closes it, or with KeepHijackedConns leaves that
// to whoever hijacked), or c itself when it is not one.
func socketOf(c net.Conn) net.Conn {
	if u, ok := c.(interface{ UnsafeConn() net.Conn }); ok {
		return u.UnsafeConn()
	}
	return c
}
