package kk_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	gws "github.com/gorilla/websocket"
	"github.com/valyala/fasthttp/fasthttputil"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/internal/dialvia"
	"github.com/kommandkit/kk/runtime/kktest"
)

// wsServer serves one WebSocket route at /ws with h, as kkgen would wire
// it, on a loopback socket; stop shuts the server down.
type wsServer struct {
	url, addr string
	stop      func()
	router    *kk.Router
}

func startWS(t *testing.T, cfg *kk.WebSocketConfig, h kk.WebSocketHandler, mws ...kk.Middleware) *wsServer {
	t.Helper()
	return startWSLogged(t, cfg, nil, h, mws...)
}

// startWSLogged is startWS with the router logging to logger (nil: the
// default).
func startWSLogged(t *testing.T, cfg *kk.WebSocketConfig, logger *slog.Logger, h kk.WebSocketHandler, mws ...kk.Middleware) *wsServer {
	t.Helper()
	r := kk.New(kk.Table{
		Routes: []kk.Route{{Method: "GET", Pattern: "/ws", Name: "WS", Handler: func(c *kk.Ctx) error {
			if err := kk.CheckWebSocket(c); err != nil {
				return err
			}
			if c.QueryArgs().Has("bad") {
				return kk.Error(400, "query parameter \"bad\": rejected") // a binding failure
			}
			return kk.UpgradeWebSocket(c, h)
		}}},
		Match: func(method string, p []byte, ps *kk.Params) int {
			if method == "GET" && string(p) == "/ws" {
				return 0
			}
			return -1
		},
		Methods: []string{"GET"},
	})
	r.Use(mws...)
	if logger != nil {
		r.SetLogger(logger)
	}
	if cfg != nil {
		r.SetWebSocketConfig(*cfg)
	}
	s := kktest.NewTCPServer(t, r)
	stop := func() {
		if err := s.Close(); err != nil {
			t.Errorf("Serve: %v", err)
		}
	}
	addr := strings.TrimPrefix(s.URL, "http://")
	return &wsServer{url: "ws://" + addr + "/ws", addr: addr, stop: stop, router: r}
}

func dial(t *testing.T, url string, header http.Header) *gws.Conn {
	t.Helper()
	c, resp, err := gws.DefaultDialer.Dial(url, header)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", url, err, status)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// echo answers every message with the same kind and data.
func echo(ctx context.Context, ws *kk.WebSocket) error {
	for {
		kind, data, err := ws.ReadMessage()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := ws.WriteMessage(kind, data); err != nil {
			return err
		}
	}
}

// rawGET sends a hand-written request and returns the status line and
// headers of the answer.
func rawGET(t *testing.T, addr string, headers ...string) (int, http.Header) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := "GET /ws HTTP/1.1\r\nHost: " + addr + "\r\n" + strings.Join(headers, "\r\n")
	if len(headers) > 0 {
		req += "\r\n"
	}
	req += "\r\n"
	if _, err := conn.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufioReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

const goodKey = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="

func TestWebSocketHandshakeRefusals(t *testing.T) {
	s := startWS(t, nil, echo)
	upgrade := []string{"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13"}
	for _, tc := range []struct {
		name    string
		headers []string
		status  int
		header  string // a response header that must be present, "Name: value"
	}{
		{"plain GET", nil, 426, "Upgrade: websocket"},
		{"Upgrade: h2c", []string{"Upgrade: h2c", "Connection: Upgrade"}, 426, "Upgrade: websocket"},
		{"no key", upgrade, 400, ""},
		{"short key", append(upgrade[:3:3], "Sec-WebSocket-Key: c2hvcnQ="), 400, ""},
		{"version 8", []string{"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 8", goodKey}, 400, "Sec-Websocket-Version: 13"},
		{"no Connection: Upgrade", []string{"Upgrade: websocket", "Sec-WebSocket-Version: 13", goodKey}, 400, ""},
		{"cross-origin", append(upgrade[:3:3], goodKey, "Origin: http://evil.example"), 403, ""},
		{"binding failure", nil, 0, ""},
	} {
		if tc.name == "binding failure" {
			continue
		}
		status, h := rawGET(t, s.addr, tc.headers...)
		if status != tc.status {
			t.Errorf("%s: status %d; want %d", tc.name, status, tc.status)
		}
		if tc.header != "" {
			name, value, _ := strings.Cut(tc.header, ": ")
			if got := h.Get(name); !strings.EqualFold(got, value) {
				t.Errorf("%s: %s = %q; want %q", tc.name, name, got, value)
			}
		}
	}
	// The same origin, and no Origin at all, are fine.
	status, _ := rawGET(t, s.addr, append(upgrade[:3:3], goodKey, "Origin: http://"+s.addr)...)
	if status != 101 {
		t.Errorf("same origin: status %d; want 101", status)
	}
	dial(t, s.url, nil).Close()
}

func TestWebSocketAllowedOrigins(t *testing.T) {
	s := startWS(t, &kk.WebSocketConfig{AllowedOrigins: []string{"https://app.example", "other.example"}}, echo)
	for origin, want := range map[string]int{
		"https://app.example":   101,
		"http://app.example":    403,
		"https://other.example": 101,
		"http://evil.example":   403,
	} {
		c, resp, err := gws.DefaultDialer.Dial(s.url, http.Header{"Origin": {origin}})
		if resp == nil {
			t.Fatalf("%s: %v", origin, err)
		}
		if c != nil {
			c.Close()
		}
		if resp.StatusCode != want {
			t.Errorf("Origin %s: status %d; want %d", origin, resp.StatusCode, want)
		}
	}
	all := startWS(t, &kk.WebSocketConfig{AllowedOrigins: []string{"*"}}, echo)
	dial(t, all.url, http.Header{"Origin": {"http://anything.example"}}).Close()
}

func TestWebSocketMiddlewareAndBindingRefuse(t *testing.T) {
	auth := func(next kk.Handler) kk.Handler {
		return func(c *kk.Ctx) error {
			if string(c.Request.Header.Peek("Authorization")) != "Bearer ok" {
				return kk.Error(401, "no token")
			}
			return next(c)
		}
	}
	s := startWS(t, nil, echo, auth)
	_, resp, err := gws.DefaultDialer.Dial(s.url, nil)
	if err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("without token: %v, %v; want a 401", err, resp)
	}
	_, resp, err = gws.DefaultDialer.Dial(s.url+"?bad=1", http.Header{"Authorization": {"Bearer ok"}})
	if err == nil || resp == nil || resp.StatusCode != 400 {
		t.Fatalf("binding failure: %v, %v; want a 400", err, resp)
	}
	c := dial(t, s.url, http.Header{"Authorization": {"Bearer ok"}})
	if err := c.WriteMessage(gws.TextMessage, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	if _, b, err := c.ReadMessage(); err != nil || string(b) != "hi" {
		t.Fatalf("echo = %q, %v", b, err)
	}
}

func TestWebSocketMessagesAreFreshAndTyped(t *testing.T) {
	got := make(chan [][]byte, 1)
	s := startWS(t, nil, func(ctx context.Context, ws *kk.WebSocket) error {
		var kept [][]byte
		for i := 0; i < 3; i++ {
			kind, b, err := ws.ReadMessage()
			if err != nil {
				return err
			}
			kept = append(kept, append([]byte(kind.String()+":"), b...))
			_ = b
		}
		got <- kept
		var v struct{ N int }
		if err := ws.ReadJSON(&v); err != nil {
			return err
		}
		s, err := ws.ReadText()
		if err != nil {
			return err
		}
		return ws.WriteJSON(map[string]any{"n": v.N, "s": s})
	})
	c := dial(t, s.url, nil)
	c.WriteMessage(gws.TextMessage, []byte("aaaa"))
	c.WriteMessage(gws.BinaryMessage, []byte{1, 2, 3})
	c.WriteMessage(gws.TextMessage, []byte("cc"))
	c.WriteMessage(gws.TextMessage, []byte(`{"N":7}`))
	c.WriteMessage(gws.TextMessage, []byte("text"))
	kept := <-got
	if want := []string{"text:aaaa", "binary:\x01\x02\x03", "text:cc"}; fmt.Sprint(strings.Join(bs(kept), "|")) != strings.Join(want, "|") {
		t.Errorf("messages = %q; want %q", kept, want)
	}
	kind, b, err := c.ReadMessage()
	if err != nil || kind != gws.TextMessage || string(b) != `{"n":7,"s":"text"}` {
		t.Errorf("WriteJSON sent %d %s %v", kind, b, err)
	}
}

func TestWebSocketReadMessageSliceIsTheCallers(t *testing.T) {
	done := make(chan string, 1)
	s := startWS(t, nil, func(ctx context.Context, ws *kk.WebSocket) error {
		_, first, _ := ws.ReadMessage()
		_, _, _ = ws.ReadMessage()
		done <- string(first)
		return nil
	})
	c := dial(t, s.url, nil)
	c.WriteMessage(gws.TextMessage, []byte("first"))
	c.WriteMessage(gws.TextMessage, []byte("XXXXX"))
	if got := <-done; got != "first" {
		t.Errorf("first message became %q after the second was read", got)
	}
}

func bs(b [][]byte) []string {
	out := make([]string, len(b))
	for i := range b {
		out[i] = string(b[i])
	}
	return out
}

func closeCode(t *testing.T, c *gws.Conn) (int, string) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, _, err := c.ReadMessage()
		var ce *gws.CloseError
		if errors.As(err, &ce) {
			return ce.Code, ce.Text
		}
		if err != nil {
			t.Fatalf("read: %v; want a close frame", err)
		}
	}
}

func TestWebSocketCloseCodesFromTheHandler(t *testing.T) {
	for _, tc := range []struct {
		ret    error
		code   int
		reason string
	}{
		{nil, 1000, ""},
		{errors.New("database down"), 1011, "internal error"},
		{&kk.CloseError{Code: 4001, Reason: "bye"}, 4001, "bye"},
		{fmt.Errorf("wrapped: %w", &kk.CloseError{Code: 1008, Reason: "policy"}), 1008, "policy"},
	} {
		s := startWS(t, nil, func(ctx context.Context, ws *kk.WebSocket) error { return tc.ret })
		code, reason := closeCode(t, dial(t, s.url, nil))
		if code != tc.code || reason != tc.reason {
			t.Errorf("handler returned %v: close %d %q; want %d %q", tc.ret, code, reason, tc.code, tc.reason)
		}
	}
}

func TestWebSocketReadErrors(t *testing.T) {
	type result struct {
		err     error
		ctxDone bool
	}
	results := make(chan result, 1)
	s := startWS(t, nil, func(ctx context.Context, ws *kk.WebSocket) error {
		for {
			_, _, err := ws.ReadMessage()
			if err != nil {
				select {
				case <-ctx.Done():
				case <-time.After(2 * time.Second):
				}
				results <- result{err, ctx.Err() != nil && ws.Context().Err() != nil}
				return nil
			}
		}
	})
	for _, tc := range []struct {
		code int
		want error
	}{
		{1000, io.EOF},
		{1001, io.EOF},
		{4002, &kk.CloseError{Code: 4002, Reason: "custom"}},
		{1008, &kk.CloseError{Code: 1008, Reason: "custom"}},
		{0, &kk.CloseError{Code: 1006}}, // vanish: no close frame
	} {
		c := dial(t, s.url, nil)
		if tc.code == 0 {
			c.NetConn().Close()
		} else {
			c.WriteControl(gws.CloseMessage, gws.FormatCloseMessage(tc.code, "custom"), time.Now().Add(time.Second))
			if tc.code != 1000 && tc.code != 1001 {
				if code, _ := closeCode(t, c); code != tc.code {
					t.Errorf("server echoed %d; want %d", code, tc.code)
				}
			}
		}
		r := <-results
		if !r.ctxDone {
			t.Errorf("close %d: context not cancelled", tc.code)
		}
		var ce *kk.CloseError
		switch want := tc.want.(type) {
		case *kk.CloseError:
			if !errors.As(r.err, &ce) || ce.Code != want.Code || (want.Reason != "" && ce.Reason != want.Reason) {
				t.Errorf("close %d: ReadMessage error %#v; want %#v", tc.code, r.err, want)
			}
		default:
			if r.err != want {
				t.Errorf("close %d: ReadMessage error %v; want %v", tc.code, r.err, want)
			}
		}
	}
}

func TestWebSocketContextCancelledWhenPeerVanishesWhileNotReading(t *testing.T) {
	cancelled := make(chan time.Duration, 1)
	s := startWS(t, nil, func(ctx context.Context, ws *kk.WebSocket) error {
		start := time.Now()
		<-ctx.Done() // never reads
		cancelled <- time.Since(start)
		return nil
	})
	c := dial(t, s.url, nil)
	time.Sleep(50 * time.Millisecond)
	c.NetConn().Close()
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("context not cancelled after the peer vanished")
	}
}

func TestWebSocketReadLimit(t *testing.T) {
	for _, compress := range []bool{false, true} {
		t.Run(fmt.Sprintf("compression=%v", compress), func(t *testing.T) {
			got := make(chan error, 1)
			s := startWS(t, &kk.WebSocketConfig{ReadLimit: 1000, Compression: compress}, func(ctx context.Context, ws *kk.WebSocket) error {
				_, b, err := ws.ReadMessage()
				if err != nil || len(b) != 1000 {
					got <- fmt.Errorf("first message: %d bytes, %v", len(b), err)
					return err
				}
				_, _, err = ws.ReadMessage()
				got <- err
				return err
			})
			d := gws.Dialer{EnableCompression: compress}
			c, resp, err := d.Dial(s.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if compress && resp.Header.Get("Sec-WebSocket-Extensions") == "" {
				t.Fatal("compression not negotiated")
			}
			// Compressible: 1001 bytes of 'a' deflate to a handful, so only a
			// limit applied after decompression catches it.
			c.WriteMessage(gws.TextMessage, bytes.Repeat([]byte("a"), 1000))
			c.WriteMessage(gws.TextMessage, bytes.Repeat([]byte("a"), 1001))
			checkTooBig(t, got)
			if code, _ := closeCode(t, c); code != 1009 {
				t.Errorf("close code %d; want 1009", code)
			}
		})
	}
}

func TestWebSocketPingsAndDeadPeer(t *testing.T) {
	const interval = 100 * time.Millisecond
	ended := make(chan error, 2)
	s := startWS(t, &kk.WebSocketConfig{PingInterval: interval}, func(ctx context.Context, ws *kk.WebSocket) error {
		_, _, err := ws.ReadMessage()
		ended <- err
		return nil
	})
	// A live client reads, so its library answers the pings.
	live := dial(t, s.url, nil)
	pings := make(chan struct{}, 100)
	live.SetPingHandler(func(data string) error {
		pings <- struct{}{}
		return live.WriteControl(gws.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	go func() {
		for {
			if _, _, err := live.ReadMessage(); err != nil {
				return
			}
		}
	}()
	// A dead one never reads, so never answers.
	start := time.Now()
	dial(t, s.url, nil)
	var err error
	select {
	case err = <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("silent peer not dropped")
	}
	took := time.Since(start)
	var ce *kk.CloseError
	if !errors.As(err, &ce) || ce.Code != 1006 {
		t.Errorf("silent peer: ReadMessage = %v; want CloseError 1006", err)
	}
	if took < 2*interval || took > 2*time.Second {
		t.Errorf("silent peer dropped after %v; want about %v", took, 2*interval)
	}
	time.Sleep(6 * interval)
	select {
	case err := <-ended:
		t.Fatalf("live peer dropped too: %v", err)
	default:
	}
	if len(pings) < 3 {
		t.Errorf("live peer got %d pings in %v; want about %d", len(pings), time.Since(start), int(time.Since(start)/interval))
	}
}

func TestWebSocketShutdownSends1001(t *testing.T) {
	cancelled := make(chan bool, 3)
	s := startWS(t, nil, func(ctx context.Context, ws *kk.WebSocket) error {
		<-ctx.Done()
		cancelled <- true
		return nil
	})
	var conns []*gws.Conn
	for i := 0; i < 3; i++ {
		conns = append(conns, dial(t, s.url, nil))
	}
	time.Sleep(50 * time.Millisecond)
	go s.stop()
	for _, c := range conns {
		if code, _ := closeCode(t, c); code != 1001 {
			t.Errorf("at shutdown: close %d; want 1001", code)
		}
	}
	for i := 0; i < 3; i++ {
		select {
		case <-cancelled:
		case <-time.After(5 * time.Second):
			t.Fatal("handler context not cancelled at shutdown")
		}
	}
}

func TestWebSocketConcurrentWrites(t *testing.T) {
	const writers, each = 8, 100
	s := startWS(t, nil, func(ctx context.Context, ws *kk.WebSocket) error {
		var wg sync.WaitGroup
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					if err := ws.WriteText(fmt.Sprintf("%d-%d-%s", w, i, strings.Repeat("x", 500))); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		_, _, err := ws.ReadMessage()
		return err
	})
	c := dial(t, s.url, nil)
	next := make([]int, writers)
	for n := 0; n < writers*each; n++ {
		_, b, err := c.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		var w, i int
		if _, err := fmt.Sscanf(string(b), "%d-%d-", &w, &i); err != nil || len(b) < 500 {
			t.Fatalf("garbled message %q", b)
		}
		if i != next[w] {
			t.Fatalf("writer %d: message %d after %d", w, i, next[w]-1)
		}
		next[w]++
	}
}

func TestDialWebSocket(t *testing.T) {
	s := startWS(t, nil, echo)
	ctx := context.Background()
	ws, err := kk.DialWebSocket(ctx, s.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.WriteText("ping"); err != nil {
		t.Fatal(err)
	}
	if got, err := ws.ReadText(); err != nil || got != "ping" {
		t.Fatalf("echo = %q, %v", got, err)
	}
	if err := ws.Close(1000, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ws.ReadMessage(); err != io.EOF {
		t.Errorf("after Close: %v; want io.EOF", err)
	}
	if ws.Context().Err() == nil {
		t.Error("client context not cancelled after Close")
	}
	if _, err := kk.DialWebSocket(ctx, "ws://"+s.addr+"/nope", nil); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("dial a missing route: %v; want a 404", err)
	}
	// The server closing reads as io.EOF or a CloseError on the client.
	s2 := startWS(t, nil, func(ctx context.Context, ws *kk.WebSocket) error { return &kk.CloseError{Code: 4000, Reason: "go"} })
	ws2, err := kk.DialWebSocket(ctx, s2.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ce *kk.CloseError
	if _, _, err := ws2.ReadMessage(); !errors.As(err, &ce) || ce.Code != 4000 || ce.Reason != "go" {
		t.Errorf("client read = %v; want CloseError 4000 go", err)
	}
	select {
	case <-ws2.Context().Done():
	case <-time.After(5 * time.Second):
		t.Error("client context not cancelled after the server closed")
	}
}

func bufioReader(c net.Conn) *bufio.Reader { return bufio.NewReader(c) }

// TestDialWebSocketThroughAContextDialer dials through the dialer a
// context carries, as kktest does over its in-memory listener: the same
// server code, no socket.
func TestDialWebSocketThroughAContextDialer(t *testing.T) {
	r := kk.New(kk.Table{
		Routes: []kk.Route{{Method: "GET", Pattern: "/ws", Handler: func(c *kk.Ctx) error {
			if err := kk.CheckWebSocket(c); err != nil {
				return err
			}
			return kk.UpgradeWebSocket(c, echo)
		}}},
		Match:   func(string, []byte, *kk.Params) int { return 0 },
		Methods: []string{"GET"},
	})
	ln := fasthttputil.NewInmemoryListener()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go kk.Serve(ctx, ln, r)
	dialMem := func(context.Context, string, string) (net.Conn, error) { return ln.Dial() }
	ws, err := kk.DialWebSocket(dialvia.With(context.Background(), dialMem), "ws://kktest/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.WriteJSON(map[string]int{"n": 1}); err != nil {
		t.Fatal(err)
	}
	var v map[string]int
	if err := ws.ReadJSON(&v); err != nil || v["n"] != 1 {
		t.Fatalf("echo = %v, %v", v, err)
	}
	if err := ws.Close(4999, "done"); err != nil {
		t.Fatal(err)
	}
	var ce *kk.CloseError
	if _, _, err := ws.ReadMessage(); !errors.As(err, &ce) || ce.Code != 4999 {
		t.Errorf("after Close(4999): %v; want CloseError 4999", err)
	}
	if err := ws.Close(1005, ""); err == nil {
		t.Error("Close(1005) succeeded; 1005 may not be sent")
	}
}

func TestWebSocketDefaultReadLimit(t *testing.T) {
	got := make(chan error, 1)
	s := startWS(t, nil, func(ctx context.Context, ws *kk.WebSocket) error {
		_, b, err := ws.ReadMessage()
		if err != nil || len(b) != 64<<10 {
			got <- fmt.Errorf("64 KiB message: %d bytes, %v", len(b), err)
			return err
		}
		_, _, err = ws.ReadMessage()
		got <- err
		return err
	})
	c := dial(t, s.url, nil)
	c.WriteMessage(gws.BinaryMessage, make([]byte, 64<<10))
	c.WriteMessage(gws.BinaryMessage, make([]byte, 64<<10+1))
	checkTooBig(t, got)
	if code, _ := closeCode(t, c); code != 1009 {
		t.Errorf("close %d; want 1009", code)
	}
}

// checkTooBig: the handler's ReadMessage reports 1009 at once, while the
// client has not even read the close frame (let alone answered it): the
// handler does not wait for the closing handshake. The bound is far above
// what it takes and below the 2 s close timeout.
func checkTooBig(t *testing.T, got <-chan error) {
	t.Helper()
	select {
	case err := <-got:
		var ce *kk.CloseError
		if !errors.As(err, &ce) || ce.Code != 1009 {
			t.Errorf("server ReadMessage = %v; want CloseError 1009", err)
		}
	case <-time.After(time.Second):
		t.Error("server ReadMessage did not return before the client answered the close")
	}
}

// TestWebSocketProtocolErrors: frames no client may send close the
// connection with 1002, and the server keeps serving.
func TestWebSocketProtocolErrors(t *testing.T) {
	ended := make(chan error, 4)
	s := startWS(t, nil, func(ctx context.Context, ws *kk.WebSocket) error {
		_, _, err := ws.ReadMessage()
		ended <- err
		return nil
	})
	for name, frame := range map[string][]byte{
		"unmasked":         {0x81, 0x02, 'h', 'i'},
		"bad opcode":       {0x83, 0x80, 0, 0, 0, 0},
		"long ping":        append([]byte{0x89, 0xfe, 0x00, 0x7e, 0, 0, 0, 0}, make([]byte, 126)...),
		"continuation 1st": {0x00, 0x80, 0, 0, 0, 0},
	} {
		conn, err := net.Dial("tcp", s.addr)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n%s\r\n\r\n", s.addr, goodKey)
		br := bufio.NewReader(conn)
		resp, err := http.ReadResponse(br, nil)
		if err != nil || resp.StatusCode != 101 {
			t.Fatalf("%s: handshake %v %v", name, resp, err)
		}
		conn.Write(frame)
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		head := make([]byte, 4)
		if _, err := io.ReadFull(br, head); err != nil {
			t.Fatalf("%s: no close frame: %v", name, err)
		}
		if head[0] != 0x88 || int(head[2])<<8|int(head[3]) != 1002 {
			t.Errorf("%s: answer % x; want a close frame with 1002", name, head)
		}
		conn.Close()
		var ce *kk.CloseError
		if err := <-ended; !errors.As(err, &ce) || ce.Code != 1002 {
			t.Errorf("%s: handler read %v; want CloseError 1002", name, err)
		}
	}
	dial(t, s.url, nil).Close() // still serving
}

// TestWebSocketShutdownWithAPeerThatNeverAnswers: a client that neither
// reads nor answers the 1001 does not hold the shutdown up past the close
// timeout, even with a handler blocked in ReadMessage.
func TestWebSocketShutdownWithAPeerThatNeverAnswers(t *testing.T) {
	s := startWS(t, nil, echo)
	dial(t, s.url, nil) // never read
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	s.stop()
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("shutdown took %v with a silent peer", took)
	}
}

// TestWebSocketEarlyFrameAndHeaders: a frame sent together with the
// handshake is not lost when the connection leaves fasthttp's reader, and
// headers the middleware set go out with the 101.
func TestWebSocketEarlyFrameAndHeaders(t *testing.T) {
	got := make(chan string, 1)
	s := startWS(t, nil, func(ctx context.Context, ws *kk.WebSocket) error {
		text, err := ws.ReadText()
		got <- text
		if kk.RequestIDOf(ctx) == "" {
			got <- "no request ID in the handler's context"
		}
		return err
	}, kk.RequestID())
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	key := [4]byte{1, 2, 3, 4}
	frame := []byte{0x81, 0x80 | 5, key[0], key[1], key[2], key[3]}
	for i, b := range []byte("early") {
		frame = append(frame, b^key[i%4])
	}
	req := fmt.Sprintf("GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nX-Request-ID: req-42\r\n%s\r\n\r\n", s.addr, goodKey)
	conn.Write(append([]byte(req), frame...)) // one write: the frame rides with the request
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil || resp.StatusCode != 101 {
		t.Fatalf("handshake: %v %v", resp, err)
	}
	if id := resp.Header.Get("X-Request-ID"); id != "req-42" {
		t.Errorf("101 X-Request-ID = %q; want req-42", id)
	}
	select {
	case text := <-got:
		if text != "early" {
			t.Errorf("handler read %q; want early", text)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the early frame was lost")
	}
	select {
	case msg := <-got:
		t.Error(msg)
	default:
	}
}

// TestWebSocketPeerDeparturesAreNotHandlerErrors: a handler that hands
// back ReadMessage's error after the peer closed without a code (1005) or
// with 1011 has not failed, and nothing is logged at ERROR; a handler's
// own error is.
func TestWebSocketPeerDeparturesAreNotHandlerErrors(t *testing.T) {
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	returned := make(chan error, 1)
	s := startWSLogged(t, nil, logger, func(ctx context.Context, ws *kk.WebSocket) error {
		_, data, err := ws.ReadMessage()
		if err == nil {
			err = errors.New("handler failed: " + string(data))
		}
		returned <- err
		return err
	})
	for _, tc := range []struct {
		name   string
		frame  []byte // what the client sends
		code   int    // what ReadMessage reports
		logged bool
	}{
		{"close without a code", gws.FormatCloseMessage(gws.CloseNoStatusReceived, ""), 1005, false},
		{"close with 1011", gws.FormatCloseMessage(1011, "peer trouble"), 1011, false},
		{"handler error", nil, 0, true},
	} {
		logs.Reset()
		c := dial(t, s.url, nil)
		if tc.frame != nil {
			c.WriteControl(gws.CloseMessage, tc.frame, time.Now().Add(time.Second))
		} else {
			c.WriteMessage(gws.TextMessage, []byte("boom"))
		}
		err := <-returned
		var ce *kk.CloseError
		if tc.code != 0 && (!errors.As(err, &ce) || ce.Code != tc.code) {
			t.Errorf("%s: ReadMessage = %v; want CloseError %d", tc.name, err, tc.code)
		}
		closeCode(t, c) // the server's close: the handler has returned and logged
		if got := strings.Contains(logs.String(), "level=ERROR"); got != tc.logged {
			t.Errorf("%s: logged at ERROR = %v; want %v\n%s", tc.name, got, tc.logged, logs.String())
		}
	}
}

// syncBuffer is a bytes.Buffer for a logger written from other goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b.Reset()
}

// TestWebSocketNeverSendsInvalidText: text that is not UTF-8 is refused
// by WriteMessage and by a hub's broadcast, nothing goes out, and the
// connection stays usable.
func TestWebSocketNeverSendsInvalidText(t *testing.T) {
	var hub kk.Hub
	results := make(chan string, 4)
	s := startWS(t, nil, func(ctx context.Context, ws *kk.WebSocket) error {
		hub.Join(ws)
		results <- fmt.Sprint(ws.WriteText("bad \xed\xa0\x80"))
		results <- fmt.Sprint(len(hub.BroadcastText("bad \xff")), hub.Len())
		return ws.WriteText("good")
	})
	c := dial(t, s.url, nil)
	if err := <-results; !strings.Contains(err, "UTF-8") {
		t.Errorf("WriteText of invalid UTF-8: %s; want an error naming UTF-8", err)
	}
	if got := <-results; got != "1 1" {
		t.Errorf("BroadcastText of invalid UTF-8: (returned, members) = %s; want 1 1 (refused, none dropped)", got)
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, data, err := c.ReadMessage(); err != nil || string(data) != "good" {
		t.Errorf("first message the client got: %q, %v; want good", data, err)
	}
}
