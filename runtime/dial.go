package kk

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gobwas/ws"

	"github.com/kommandkit/kk/runtime/internal/dialvia"
	"github.com/kommandkit/kk/runtime/internal/wsconn"
)

// DialWebSocket opens a WebSocket to url ("ws://host/path" or "wss://...")
// sending header with the handshake (Origin, Authorization, cookies). The
// connection gets the default WebSocketConfig: 64 KiB read limit, pings
// every 30 s, 10 s write timeout, no compression. ctx bounds the
// handshake only; the connection's own Context is cancelled when it
// closes. A refused handshake's error names the status.
func DialWebSocket(ctx context.Context, url string, header http.Header) (*WebSocket, error) {
	d := ws.Dialer{Header: ws.HandshakeHeaderHTTP(header), Timeout: 30 * time.Second}
	if dial := dialvia.From(ctx); dial != nil { // kktest's in-memory listener
		d.NetDial = dial
		d.TLSClient = func(conn net.Conn, _ string) net.Conn { return conn } // in memory: no TLS to do
	}
	conn, br, _, err := d.Dial(ctx, url)
	if err != nil {
		var status ws.StatusError
		if errors.As(err, &status) {
			return nil, fmt.Errorf("kk: dialing %s: the server answered %d %s", url, int(status), http.StatusText(int(status)))
		}
		return nil, fmt.Errorf("kk: dialing %s: %w", url, err)
	}
	var early []byte // frames that came with the 101
	if br != nil {
		early = make([]byte, br.Buffered())
		_, _ = br.Read(early)
		ws.PutReader(br)
	}
	cfg := &defaultWebSocketConfig
	c := newWebSocket(context.Background(), wsconn.New(conn, early, true, false, cfg.ReadLimit), conn, cfg, true)
	go c.read()
	return c, nil
}
