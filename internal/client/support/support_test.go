package support

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestReadEvents parses a stream as the HTML standard's event-stream
// interpretation does: any line ending, comments, multi-line data, an id
// that persists, retry, a leading BOM, and an unfinished event dropped.
func TestReadEvents(t *testing.T) {
	stream := "\ufeffid: 1\r\nevent: a\r\ndata: x\r\ndata:  y\r\n\r\n" + // CRLF; one leading space removed
		": a comment\rdata: z\r\r" + // CR; the id carries over
		"id: 7\nretry: 250\n\n" + // no data: no event, but the id and retry take effect
		"data\nid: bad\x00id\n\n" + // a field without a colon; an id with NUL ignored
		"retry: 1x\ndata: w\n\n" +
		"data: unfinished\n"
	var got []Event
	var st sseState
	if err := readEvents(strings.NewReader(stream), &st, func(ev Event) bool { got = append(got, ev); return true }); err != nil {
		t.Fatal(err)
	}
	want := []Event{
		{ID: "1", Event: "a", Data: "x\n y"},
		{ID: "1", Data: "z"},
		{ID: "7", Data: ""},
		{ID: "7", Data: "w"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d events %+v, want %+v", len(got), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if st.lastID != "7" || st.retry != 250*time.Millisecond {
		t.Errorf("state %+v, want id 7, retry 250ms", st)
	}
}

// TestRetries: only idempotent requests with a body that can be sent
// again are retried; Retry-After as an HTTP date is honoured.
func TestRetries(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if hits.Add(1)%2 == 1 {
			w.Header().Set("Retry-After", time.Now().Add(-time.Second).UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	c := newTransport(srv.URL, []Option{WithHTTPClient(srv.Client()), WithRetries(1, time.Hour)})
	for _, tc := range []struct {
		method string
		stream bool
		ok     bool
	}{
		{"PUT", false, true},
		{"POST", false, false},
		{"PUT", true, false},
		{"GET", false, true},
	} {
		hits.Store(0)
		rq := newRequest(tc.method)
		rq.path = "/x"
		if tc.stream {
			rq.streamBody(strings.NewReader("body"))
		} else {
			rq.json("body")
		}
		b, err := c.readAll(context.Background(), rq)
		if tc.ok && (err != nil || string(b) != "ok" || hits.Load() != 2) {
			t.Errorf("%s (stream %t): %q, %v after %d requests; want ok after 2", tc.method, tc.stream, b, err, hits.Load())
		}
		var e *Error
		if !tc.ok && (!errors.As(err, &e) || e.Status != 503 || hits.Load() != 1) {
			t.Errorf("%s (stream %t): %v after %d requests; want one 503", tc.method, tc.stream, err, hits.Load())
		}
	}
}

// TestErrorBodies: a problem body fills the Error; a plain one is its
// detail.
func TestErrorBodies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/problem" {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(422)
			io.WriteString(w, `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"bad","errors":[{"field":"a","in":"query","message":"m"}]}`)
			return
		}
		http.Error(w, "teapot here", http.StatusTeapot)
	}))
	defer srv.Close()
	c := newTransport(srv.URL+"/", []Option{WithHTTPClient(srv.Client())})
	for path, want := range map[string]string{"/problem": "422 Unprocessable Entity: bad", "/plain": "418 I'm a teapot: teapot here"} {
		rq := newRequest("GET")
		rq.path = path
		err := c.none(context.Background(), rq)
		var e *Error
		if !errors.As(err, &e) || err.Error() != want {
			t.Errorf("%s: %v, want %s", path, err, want)
		}
		if path == "/problem" && (len(e.Errors) != 1 || e.Errors[0] != (FieldError{Field: "a", In: "query", Message: "m"})) {
			t.Errorf("field errors %+v", e.Errors)
		}
	}
}

// rawServer accepts one WebSocket handshake by hand and hands the
// connection to serve, which speaks frames of its own making.
func rawServer(t *testing.T, serve func(conn net.Conn, br *bufio.Reader)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		br := bufio.NewReader(conn)
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		sum := sha1.Sum([]byte(req.Header.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
		io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "+
			base64.StdEncoding.EncodeToString(sum[:])+"\r\n\r\n")
		serve(conn, br)
	}()
	return "http://" + ln.Addr().String()
}

// readClientFrame reads one masked frame of at most 125 bytes.
func readClientFrame(br *bufio.Reader) (op byte, payload []byte, err error) {
	var h [6]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		return 0, nil, err
	}
	if h[1]&0x80 == 0 {
		return 0, nil, errors.New("unmasked client frame")
	}
	payload = make([]byte, h[1]&0x7F)
	if _, err := io.ReadFull(br, payload); err != nil {
		return 0, nil, err
	}
	for i := range payload {
		payload[i] ^= h[2+i&3]
	}
	return h[0] & 0x0F, payload, nil
}

// TestWebSocketFrames: a ping is answered with a pong of the same
// payload, fragments are joined, and invalid UTF-8 in a text message
// closes the connection with 1007.
func TestWebSocketFrames(t *testing.T) {
	got := make(chan string, 4)
	base := rawServer(t, func(conn net.Conn, br *bufio.Reader) {
		conn.Write([]byte{0x89, 2, 'p', 'q'})               // ping "pq"
		conn.Write([]byte{0x01, 2, 'h', 'e', 0x80, 1, 'y'}) // "he" + continuation "y"
		op, p, err := readClientFrame(br)
		got <- string(rune('0'+op)) + string(p) + errString(err)
		conn.Write([]byte{0x81, 2, 0xff, 0xfe}) // invalid UTF-8
		op, p, err = readClientFrame(br)
		got <- string(rune('0'+op)) + string(p[2:]) + errString(err)
		if len(p) >= 2 {
			got <- strconv.Itoa(int(binary.BigEndian.Uint16(p)))
		}
	})
	c := newTransport(base, nil)
	rq := newRequest("GET")
	rq.path = "/ws"
	ws, err := c.dial(context.Background(), rq)
	if err != nil {
		t.Fatal(err)
	}
	kind, msg, err := ws.ReadMessage()
	if err != nil || kind != TextMessage || string(msg) != "hey" {
		t.Fatalf("ReadMessage = %d %q %v, want the joined text hey", kind, msg, err)
	}
	if pong := <-got; pong != ":pq" { // opcode 0xA is ':' after '9'
		t.Errorf("pong frame %q, want opcode 10 with pq", pong)
	}
	_, _, err = ws.ReadMessage()
	var ce *CloseError
	if !errors.As(err, &ce) || ce.Code != 1007 {
		t.Errorf("invalid UTF-8: %v, want a CloseError 1007", err)
	}
	if closing := <-got; !strings.HasPrefix(closing, "8") {
		t.Errorf("the close frame sent: %q", closing)
	}
	if code := <-got; code != "1007" {
		t.Errorf("close code %q, want 1007", code)
	}
}

func errString(err error) string {
	if err != nil {
		return " " + err.Error()
	}
	return ""
}

// TestIsZero covers the helper fields with defaults go through.
func TestIsZero(t *testing.T) {
	if !isZero(0) || isZero(1) || !isZero("") || isZero(time.Second) {
		t.Error("isZero")
	}
}

// TestRequestParts: what a generated method builds reaches the server as
// sent: escaped path segments, query, header, cookie, a form or a raw
// body; JSON and streamed results come back.
func TestRequestParts(t *testing.T) {
	seen := make(chan *http.Request, 1)
	bodies := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen <- r
		bodies <- r.Header.Get("Content-Type") + " " + string(b)
		switch r.URL.Path {
		case "/events":
			io.WriteString(w, "id: 1\ndata: a\n\n")
		default:
			io.WriteString(w, `{"n":1}`)
		}
	}))
	defer srv.Close()
	c := newTransport(srv.URL, []Option{WithHTTPClient(srv.Client())})
	ctx := context.Background()

	rq := newRequest("POST")
	rq.path = "/p/" + rq.param("a", "x y?") + "/" + rq.rest("r", "d e/f%g")
	rq.query.Add("q", "1&2")
	rq.header.Add("X-H", "h")
	rq.cookie("c", "v")
	rq.formValue("f", "a b")
	rq.formValue("f", "c")
	var out struct{ N int }
	if err := c.decodeJSON(ctx, rq, &out); err != nil || out.N != 1 {
		t.Fatalf("decodeJSON: %+v, %v", out, err)
	}
	r := <-seen
	if r.URL.EscapedPath() != "/p/x%20y%3F/d%20e/f%25g" || r.URL.RawQuery != "q=1%262" || r.Header.Get("X-H") != "h" {
		t.Errorf("path %q, query %q, header %q", r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Get("X-H"))
	}
	if ck, err := r.Cookie("c"); err != nil || ck.Value != "v" {
		t.Errorf("cookie %v %v", ck, err)
	}
	if b := <-bodies; b != "application/x-www-form-urlencoded f=a+b&f=c" {
		t.Errorf("form body %q", b)
	}

	rq = newRequest("PUT")
	rq.path = "/b"
	rq.bytes([]byte{1, 2})
	body, err := c.stream(ctx, rq)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(body)
	body.Close()
	<-seen
	if got := <-bodies; got != "application/octet-stream \x01\x02" || string(b) != `{"n":1}` {
		t.Errorf("bytes body %q, answer %q", got, b)
	}

	rq = newRequest("GET")
	rq.path = "/p/" + rq.param("t", rq.text(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
	if got, err := c.readAll(ctx, rq); err != nil || string(got) != `{"n":1}` {
		t.Errorf("readAll: %q %v", got, err)
	}
	if r := <-seen; r.URL.Path != "/p/2026-01-02T03:04:05Z" {
		t.Errorf("text path %q", r.URL.Path)
	}
	<-bodies

	rq = newRequest("GET")
	rq.path = "/events"
	for ev, err := range c.events(ctx, rq) {
		if err != nil || ev.Data != "a" || ev.ID != "1" {
			t.Errorf("event %+v, %v", ev, err)
		}
		break
	}
	if r := <-seen; r.Header.Get("Accept") != "text/event-stream" {
		t.Errorf("Accept %q", r.Header.Get("Accept"))
	}
}
