package kktest

import (
	"context"
	"net"
	"net/http"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/internal/dialvia"
)

// DialWebSocket opens a WebSocket to path ("/rooms/lobby/ws?name=ann") on
// s, through its listener: the same handshake, middleware,
// binding and upgrade as over TCP, and the same *kk.WebSocket as
// kk.DialWebSocket returns. header goes with the handshake (Origin,
// Authorization, cookies); a refused handshake's error names the status.
func (s *Server) DialWebSocket(ctx context.Context, path string, header http.Header) (*kk.WebSocket, error) {
	dial := func(context.Context, string, string) (net.Conn, error) { return s.Dial() }
	return kk.DialWebSocket(dialvia.With(ctx, dial), "ws"+s.URL[len("http"):]+path, header)
}
