package kk

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/fasthttp/websocket"
)

// DialWebSocket opens a WebSocket to url ("ws://host/path" or "wss://...")
// sending header with the handshake (Origin, Authorization, cookies). The
// connection gets the default WebSocketConfig: 64 KiB read limit, pings
// every 30 s, 10 s write timeout, no compression. ctx bounds the
// handshake only; the connection's own Context is cancelled when it
// closes. A refused handshake's error names the status.
func DialWebSocket(ctx context.Context, url string, header http.Header) (*WebSocket, error) {
	return DialWebSocketVia(ctx, nil, url, header)
}

// DialWebSocketVia is DialWebSocket over connections made by dial instead
// of TCP (nil means TCP). It is plumbing for kktest, which dials its
// in-memory listener with it; applications call DialWebSocket.
func DialWebSocketVia(ctx context.Context, dial func(ctx context.Context, network, addr string) (net.Conn, error), url string, header http.Header) (*WebSocket, error) {
	d := websocket.Dialer{
		NetDialContext:   dial,
		HandshakeTimeout: 30 * time.Second,
		WriteBufferPool:  &writeBuffers,
	}
	if dial != nil {
		d.NetDialTLSContext = dial // in memory: no TLS to do
	}
	conn, resp, err := d.DialContext(ctx, url, header)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
			return nil, fmt.Errorf("kk: dialing %s: the server answered %s", url, resp.Status)
		}
		return nil, fmt.Errorf("kk: dialing %s: %w", url, err)
	}
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	return newWebSocket(context.Background(), conn, &defaultWebSocketConfig, true), nil
}
