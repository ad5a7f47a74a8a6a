package kk_test

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	gws "github.com/gorilla/websocket"
	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// sessionRouter routes GET /ws (an echo WebSocket) and GET /s (an event
// stream that sends "hello" and then waits for its end).
func sessionRouter() *kk.Router {
	return kk.New(kk.Table{
		Routes: []kk.Route{
			{Method: "GET", Pattern: "/ws", Name: "WS", Handler: func(c *kk.Ctx) error { return kk.UpgradeWebSocket(c, echo) }},
			{Method: "GET", Pattern: "/s", Name: "S", Handler: func(c *kk.Ctx) error {
				return kk.ServeEventStream(c, func(es *kk.EventStream) error {
					if err := es.Send(kk.Event{Data: "hello"}); err != nil {
						return err
					}
					<-es.Context().Done()
					return nil
				})
			}},
		},
		Methods: []string{"GET"},
		Match: func(method string, p []byte, _ *kk.Params) int {
			switch {
			case method == "GET" && string(p) == "/ws":
				return 0
			case method == "GET" && string(p) == "/s":
				return 1
			}
			return -1
		},
	})
}

// checkSessions opens a WebSocket and an event stream on addr and checks
// that both work: the socket echoes two messages, the stream delivers
// its event.
func checkSessions(t *testing.T, where, addr string) {
	t.Helper()
	c, _, err := gws.DefaultDialer.Dial("ws://"+addr+"/ws", nil)
	if err != nil {
		t.Fatalf("%s: dial: %v", where, err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for _, msg := range []string{"one", "two"} {
		if err := c.WriteMessage(gws.TextMessage, []byte(msg)); err != nil {
			t.Fatalf("%s: write: %v", where, err)
		}
		if _, got, err := c.ReadMessage(); err != nil || string(got) != msg {
			t.Fatalf("%s: echo of %q = %q, %v", where, msg, got, err)
		}
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /s HTTP/1.1\r\nHost: x\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(conn)
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("%s: event stream: %v", where, err)
		}
		if strings.Contains(l, "data: hello") {
			return
		}
	}
}

// plainServer serves r with a plain fasthttp.Server (which closes
// hijacked connections when their handler returns) on 127.0.0.1:0.
func plainServer(t *testing.T, r *kk.Router) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &fasthttp.Server{Handler: r.Handler()}
	go s.Serve(ln)
	t.Cleanup(func() { s.Shutdown() })
	return ln.Addr().String()
}

// TestSessionsOnKKAndPlainServers: one router served by a kk.Server and
// by a plain fasthttp.Server at once: WebSockets and event streams work
// on both, each served the way its server wants (kk's detach from
// fasthttp; a plain server's run inside its hijack handler).
func TestSessionsOnKKAndPlainServers(t *testing.T) {
	r := sessionRouter()
	kks := kktest.NewTCPServer(t, r)
	plain := plainServer(t, r)
	checkSessions(t, "kk server", strings.TrimPrefix(kks.URL, "http://"))
	checkSessions(t, "plain server", plain)
	checkSessions(t, "kk server again", strings.TrimPrefix(kks.URL, "http://"))
}

// TestSessionsAfterAnotherServerStopped: a router's sessions belong to the
// server they came in on. A server that shut down leaves the router's
// later sessions alone, on a server serving it again and on a server
// that shared it and keeps running; and a session open on that one
// survives the other's shutdown.
func TestSessionsAfterAnotherServerStopped(t *testing.T) {
	r := sessionRouter()
	first := kktest.NewTCPServer(t, r)
	checkSessions(t, "first server", strings.TrimPrefix(first.URL, "http://"))
	second := kktest.NewTCPServer(t, r)
	addr := strings.TrimPrefix(second.URL, "http://")
	open, _, err := gws.DefaultDialer.Dial("ws://"+addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	checkSessions(t, "second server, after the first stopped", addr)
	open.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := open.WriteMessage(gws.TextMessage, []byte("still")); err != nil {
		t.Fatal(err)
	}
	if _, got, err := open.ReadMessage(); err != nil || string(got) != "still" {
		t.Fatalf("a socket open on the second server, after the first stopped: %q, %v", got, err)
	}
	third := kktest.NewTCPServer(t, r)
	checkSessions(t, "third server, after the first stopped", strings.TrimPrefix(third.URL, "http://"))
	checkSessions(t, "plain server, after the first stopped", plainServer(t, r))
}
