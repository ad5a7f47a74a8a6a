package websocket

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	gws "github.com/gorilla/websocket"

	"github.com/kommandkit/kk/runtime/kktest"
)

func serve(t *testing.T) string {
	t.Helper()
	return strings.TrimPrefix(kktest.NewTCPServer(t, NewRouter()).URL, "http://")
}

func dial(t *testing.T, url string) (*gws.Conn, int) {
	t.Helper()
	c, resp, err := gws.DefaultDialer.Dial(url, nil)
	if err != nil {
		if resp == nil {
			t.Fatalf("dial %s: %v", url, err)
		}
		return nil, resp.StatusCode
	}
	t.Cleanup(func() { c.Close() })
	return c, resp.StatusCode
}

func closeOf(t *testing.T, c *gws.Conn) *gws.CloseError {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := c.ReadMessage()
		var ce *gws.CloseError
		if errors.As(err, &ce) {
			return ce
		}
		if err != nil {
			t.Fatalf("read: %v; want a close frame", err)
		}
	}
}

func TestWebSocketRoutes(t *testing.T) {
	addr := serve(t)
	ws := "ws://" + addr

	c, _ := dial(t, ws+"/rooms/lobby/ws")
	c.WriteMessage(gws.TextMessage, []byte("hi"))
	if _, b, err := c.ReadMessage(); err != nil || string(b) != "lobby: hi" {
		t.Errorf("Join echo = %q, %v", b, err)
	}
	c.WriteControl(gws.CloseMessage, gws.FormatCloseMessage(1000, ""), time.Now().Add(time.Second))
	if ce := closeOf(t, c); ce.Code != 1000 {
		t.Errorf("Join close = %d; want 1000", ce.Code)
	}

	// Bound and validated before the upgrade: the usual 4xx, no 101.
	for path, want := range map[string]int{
		"/typed/x/ws?name=a":         400, // id is not an int
		"/typed/1/ws":                422, // name is required
		"/typed/1/ws?name=nobody":    422, // Validate
		"/typed/1/ws?name=a&limit=z": 400,
		"/private/ws":                401, // //kk:use middleware
	} {
		if c, status := dial(t, ws+path); c != nil || status != want {
			t.Errorf("GET %s: status %d; want %d without an upgrade", path, status, want)
		}
	}
	// A plain GET is not an upgrade: 426.
	resp, err := http.Get("http://" + addr + "/rooms/lobby/ws")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 426 || resp.Header.Get("Upgrade") != "websocket" {
		t.Errorf("plain GET: %d Upgrade=%q; want 426 websocket", resp.StatusCode, resp.Header.Get("Upgrade"))
	}

	for code, want := range map[int]int{1000: 1000, 1011: 1011, 4003: 4003} {
		c, _ := dial(t, ws+"/typed/7/ws?name=ann")
		if _, b, err := c.ReadMessage(); err != nil || string(b) != "id=7 name=ann limit=5" {
			t.Fatalf("Typed greeting = %q, %v", b, err)
		}
		c.WriteJSON(code)
		if ce := closeOf(t, c); ce.Code != want {
			t.Errorf("Typed asked for %d: close %d; want %d", code, ce.Code, want)
		}
	}

	c, _ = dial(t, ws+"/plain")
	if _, b, err := c.ReadMessage(); err != nil || string(b) != "plain" {
		t.Errorf("Plain = %q, %v", b, err)
	}
	if ce := closeOf(t, c); ce.Code != 1000 {
		t.Errorf("Plain close = %d; want 1000", ce.Code)
	}

	if c, status := dial(t, ws+"/private/ws?token=secret"); c == nil || status != 101 {
		t.Errorf("with the token: status %d; want 101", status)
	}
}
