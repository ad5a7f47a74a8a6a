package kk

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	gws "github.com/gorilla/websocket"
	"github.com/valyala/fasthttp"
)

// TestWebSocketLiveShutdown: a kk server's shutdown, through its live
// set, sends 1001 to every open WebSocket, cancels the handlers' contexts
// and waits for them.
func TestWebSocketLiveShutdown(t *testing.T) {
	cancelled := make(chan struct{}, 2)
	r := New(Table{
		Routes: []Route{{Method: "GET", Pattern: "/ws", Handler: func(c *Ctx) error {
			if err := CheckWebSocket(c); err != nil {
				return err
			}
			return UpgradeWebSocket(c, func(ctx context.Context, ws *WebSocket) error {
				<-ctx.Done()
				cancelled <- struct{}{}
				return nil
			})
		}}},
		Match:   func(string, []byte, *Params) int { return 0 },
		Methods: []string{"GET"},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	st := newStopping() // what a kk Server's requests see
	srv := &fasthttp.Server{Handler: r.handlerOn(st), KeepHijackedConns: true}
	go srv.Serve(ln)
	defer srv.Shutdown()
	var conns []*gws.Conn
	for i := 0; i < 2; i++ {
		c, _, err := gws.DefaultDialer.Dial("ws://"+ln.Addr().String()+"/ws", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	deadline := time.Now().Add(5 * time.Second)
	for st.live.len() != 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	left := make(chan int, 1)
	go func() { left <- st.live.shutdown(ctx) }()
	for _, c := range conns {
		_, _, err := c.ReadMessage()
		var ce *gws.CloseError
		if !errors.As(err, &ce) || ce.Code != 1001 {
			t.Errorf("read = %v; want close 1001", err)
		}
	}
	if n := <-left; n != 0 {
		t.Errorf("%d WebSockets still open after shutdown", n)
	}
	if len(cancelled) != 2 {
		t.Errorf("%d handler contexts cancelled; want 2", len(cancelled))
	}
}
