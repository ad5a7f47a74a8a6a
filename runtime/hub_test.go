package kk_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	gws "github.com/gorilla/websocket"

	kk "github.com/kommandkit/kk/runtime"
)

// hubServer serves /ws: every connection joins hub and reads until it
// closes.
func hubServer(t *testing.T, hub *kk.Hub, cfg *kk.WebSocketConfig) *wsServer {
	return startWS(t, cfg, func(ctx context.Context, ws *kk.WebSocket) error {
		hub.Join(ws)
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return nil
			}
		}
	})
}

func waitLen(t *testing.T, hub *kk.Hub, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for hub.Len() != n {
		if time.Now().After(deadline) {
			t.Fatalf("hub.Len() = %d; want %d", hub.Len(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestHubBroadcastAndLeaving(t *testing.T) {
	var hub kk.Hub // the zero value is ready
	s := hubServer(t, &hub, nil)
	var cs []*gws.Conn
	for i := 0; i < 3; i++ {
		cs = append(cs, dial(t, s.url, nil))
	}
	waitLen(t, &hub, 3)
	if failed := hub.BroadcastText("hello"); len(failed) != 0 {
		t.Errorf("BroadcastText failed for %d sockets", len(failed))
	}
	if failed := hub.BroadcastJSON(map[string]int{"n": 1}); len(failed) != 0 {
		t.Errorf("BroadcastJSON failed for %d sockets", len(failed))
	}
	for i, c := range cs {
		for _, want := range []string{"hello", `{"n":1}`} {
			kind, b, err := c.ReadMessage()
			if err != nil || kind != gws.TextMessage || string(b) != want {
				t.Errorf("client %d: %d %q %v; want text %q", i, kind, b, err, want)
			}
		}
	}
	// A closed socket leaves by itself.
	cs[0].WriteControl(gws.CloseMessage, gws.FormatCloseMessage(1000, ""), time.Now().Add(time.Second))
	waitLen(t, &hub, 2)
	cs[1].NetConn().Close() // vanished
	waitLen(t, &hub, 1)
	if failed := hub.BroadcastJSON(func() {}); len(failed) != 1 || hub.Len() != 1 {
		t.Errorf("unencodable value: %d returned, Len %d; want 1 returned, none dropped", len(failed), hub.Len())
	}
}

// TestHubSlowClient: a client that stops reading costs the others nothing,
// and is given up after the write timeout, returned and dropped.
func TestHubSlowClient(t *testing.T) {
	const writeTimeout = 2 * time.Second // well above a loaded machine's hiccups
	var hub kk.Hub
	s := hubServer(t, &hub, &kk.WebSocketConfig{WriteTimeout: writeTimeout})
	fast := dial(t, s.url, nil)
	// The stalled client never reads, and has a small receive buffer, so
	// the server's writes to it soon block.
	d := gws.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4096)
		}
		return c, err
	}}
	stalled, _, err := d.Dial(s.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	waitLen(t, &hub, 2)

	received := make(chan time.Time, 1000)
	go func() {
		for {
			if _, _, err := fast.ReadMessage(); err != nil {
				return
			}
			received <- time.Now()
		}
	}()
	msg := strings.Repeat("x", 64<<10)
	for i := 0; i < 2000; i++ {
		start := time.Now()
		failed := hub.BroadcastText(msg)
		took := time.Since(start)
		var lag time.Duration
		select {
		case at := <-received:
			lag = at.Sub(start)
		case <-time.After(2 * writeTimeout):
			t.Fatalf("broadcast %d: the fast client never had it", i)
		}
		if len(failed) == 0 {
			continue
		}
		if len(failed) != 1 || failed[0] == nil || hub.Len() != 1 {
			t.Fatalf("broadcast %d: %d failed, Len %d; want the stalled one failed and dropped", i, len(failed), hub.Len())
		}
		if took < writeTimeout/2 || took > 2*writeTimeout {
			t.Errorf("the failing broadcast took %v; want about the write timeout %v", took, writeTimeout)
		}
		// Head-of-line blocking would make the fast client wait for the
		// stalled one's timeout too.
		if lag > took/2 {
			t.Errorf("the failing broadcast took %v, and the fast client waited %v for it", took, lag)
		}
		return
	}
	t.Fatal("the stalled client never failed")
}
