package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	gws "github.com/gorilla/websocket"

	"github.com/kommandkit/kk/runtime/kktest"
)

// loopbackServer serves the service on a loopback socket until the test
// ends: the chat's clients (gorilla/websocket, a browser) need a real one.
// It returns the base URL, http://127.0.0.1:port.
func loopbackServer(t *testing.T) string {
	t.Helper()
	return kktest.NewTCPServer(t, testRouter(t)).URL
}

// chatClient joins a room through a real socket with gorilla/websocket, a
// client that shares no code with the server.
func chatClient(t *testing.T, base, room, name string) *gws.Conn {
	t.Helper()
	url := "ws" + strings.TrimPrefix(base, "http") + "/rooms/" + room + "/ws?name=" + name
	c, _, err := gws.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("join %s as %s: %v", room, name, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// next reads messages until one satisfies ok.
func next(t *testing.T, c *gws.Conn, ok func(ChatMessage) bool) ChatMessage {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, b, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		var m ChatMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("message %q: %v", b, err)
		}
		if ok(m) {
			return m
		}
	}
}

func TestChatRooms(t *testing.T) {
	t.Parallel()
	base := loopbackServer(t)
	ann := chatClient(t, base, "r1", "ann")
	next(t, ann, func(m ChatMessage) bool { return m.Text == "ann joined" })
	bob := chatClient(t, base, "r1", "bob")
	if m := next(t, ann, func(m ChatMessage) bool { return m.From == "" }); m.Text != "bob joined" || m.Online != 2 {
		t.Errorf("ann saw %+v; want bob joined, 2 online", m)
	}
	other := chatClient(t, base, "r2", "cy")
	next(t, other, func(m ChatMessage) bool { return m.Text == "cy joined" })

	ann.WriteMessage(gws.TextMessage, []byte("hello bob"))
	for who, c := range map[string]*gws.Conn{"ann": ann, "bob": bob} {
		if m := next(t, c, func(m ChatMessage) bool { return m.From != "" }); m.From != "ann" || m.Text != "hello bob" || m.Room != "r1" {
			t.Errorf("%s saw %+v; want ann's hello", who, m)
		}
	}
	other.WriteMessage(gws.TextMessage, []byte("only r2"))
	if m := next(t, other, func(m ChatMessage) bool { return m.From != "" }); m.Text != "only r2" {
		t.Errorf("cy saw %+v", m)
	}
	bob.WriteMessage(gws.TextMessage, []byte("hi ann"))
	if m := next(t, ann, func(m ChatMessage) bool { return m.From != "" }); m.Text != "hi ann" {
		t.Errorf("ann saw %+v; want bob's reply (and nothing from r2)", m)
	}
	bob.Close()
	if m := next(t, ann, func(m ChatMessage) bool { return m.From == "" }); m.Text != "bob left" {
		t.Errorf("ann saw %+v; want bob left", m)
	}
}

func TestChatRefusesBeforeUpgrade(t *testing.T) {
	t.Parallel()
	base := loopbackServer(t)
	for path, want := range map[string]int{
		"/rooms/bad%20room/ws":                         400,
		"/rooms/" + strings.Repeat("x", 33) + "/ws":    400,
		"/rooms/r1/ws?name=" + strings.Repeat("n", 25): 422,
	} {
		_, resp, err := gws.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+path, nil)
		if err == nil || resp == nil || resp.StatusCode != want {
			t.Errorf("%s: %v %v; want %d", path, err, resp, want)
		}
	}
	resp, err := http.Get(base + "/rooms/r1/ws")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUpgradeRequired {
		t.Errorf("plain GET: %d; want 426", resp.StatusCode)
	}
	resp, err = http.Get(base + "/chat")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET /chat: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// TestChatInMemory joins the chat through kktest's in-memory server with
// kk's own client.
func TestChatInMemory(t *testing.T) {
	t.Parallel()
	s := kktest.NewServer(t, testRouter(t))
	ctx := context.Background()
	ann, err := s.DialWebSocket(ctx, "/rooms/mem/ws?name=ann", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ann.Close(1000, "")
	var m ChatMessage
	if err := ann.ReadJSON(&m); err != nil || m.Text != "ann joined" {
		t.Fatalf("first message %+v, %v", m, err)
	}
	if err := ann.WriteText("hello"); err != nil {
		t.Fatal(err)
	}
	if err := ann.ReadJSON(&m); err != nil || m.From != "ann" || m.Text != "hello" {
		t.Fatalf("echoed %+v, %v", m, err)
	}
	if _, err := s.DialWebSocket(ctx, "/rooms/bad%20room/ws", nil); err == nil || !strings.Contains(err.Error(), "400") {
		t.Errorf("bad room: %v; want a 400", err)
	}
}
