package streams

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// event is a dispatched event as the WHATWG EventSource parser sees it.
type event struct {
	id, typ, data string
	retry         int // ms, the last retry field before this event; 0 if none
}

// parser reads an event stream as the WHATWG spec says: lines end at CR,
// LF or CRLF; "field: value" drops one space after the colon; data lines
// join with LF; a blank line dispatches (unless there is no data).
type parser struct {
	r      *bufio.Reader
	lastID string
	retry  int
}

func (p *parser) line() (string, error) {
	var b strings.Builder
	for {
		c, err := p.r.ReadByte()
		if err != nil {
			return b.String(), err
		}
		switch c {
		case '\n':
			return b.String(), nil
		case '\r':
			if next, err := p.r.Peek(1); err == nil && next[0] == '\n' {
				p.r.ReadByte()
			}
			return b.String(), nil
		}
		b.WriteByte(c)
	}
}

// next returns the next dispatched event; comments is told each comment.
func (p *parser) next(comments func(string)) (event, error) {
	var data strings.Builder
	typ, hasData := "", false
	for {
		l, err := p.line()
		if err != nil {
			return event{}, err
		}
		if l == "" {
			if !hasData {
				typ = ""
				continue
			}
			d := data.String()
			return event{id: p.lastID, typ: typ, data: strings.TrimSuffix(d, "\n"), retry: p.retry}, nil
		}
		if strings.HasPrefix(l, ":") {
			if comments != nil {
				comments(l)
			}
			continue
		}
		field, value, _ := strings.Cut(l, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "data":
			data.WriteString(value + "\n")
			hasData = true
		case "event":
			typ = value
		case "id":
			if !strings.Contains(value, "\x00") {
				p.lastID = value
			}
		case "retry":
			if n, err := strconv.Atoi(value); err == nil {
				p.retry = n
			}
		}
	}
}

// open starts an event stream with net/http's client.
func open(t *testing.T, s *server, path string, header map[string]string) (*http.Response, *parser) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.base+path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	hc := &http.Client{Transport: &http.Transport{DisableCompression: true}} // no timeout: streams are long
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp, &parser{r: bufio.NewReader(resp.Body)}
}

func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s took longer than %v", what, d)
	}
}

// waitLeft waits for the stream of topic to end (other tests' streams may
// end meanwhile).
func waitLeft(t *testing.T, topic, after string) {
	t.Helper()
	deadline := time.After(3 * time.Second)
	for {
		select {
		case got := <-Left:
			if got == topic {
				return
			}
		case <-deadline:
			t.Fatalf("the handler's context was not cancelled after %s", after)
		}
	}
}

func drainLeft() {
	for {
		select {
		case <-Left:
		default:
			return
		}
	}
}

func TestEventStreamHeaders(t *testing.T) {
	r := NewRouter()
	r.Use(kk.RequestID(), kk.Compress()) // never compresses an event stream
	s := start(t, r, nil)
	resp, p := open(t, s, "/live/news", map[string]string{"Accept-Encoding": "gzip, br", "X-Request-ID": "req-1"})
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" ||
		resp.Header.Get("Cache-Control") != "no-cache" || resp.Header.Get("Content-Length") != "" ||
		resp.ContentLength != -1 || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("event stream answered %d %v (length %d); want 200 text/event-stream, no-cache, no length, no encoding",
			resp.StatusCode, resp.Header, resp.ContentLength)
	}
	if got := resp.Header.Get("X-Request-ID"); got != "req-1" {
		t.Errorf("X-Request-ID = %q; the middleware's headers must be kept", got)
	}
	if len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
		t.Errorf("Transfer-Encoding = %v, want chunked", resp.TransferEncoding)
	}
	ev, err := p.next(nil)
	if err != nil || ev != (event{id: "0", typ: "hello", data: "hello news"}) {
		t.Fatalf("first event = %+v, %v", ev, err)
	}
	drainLeft()
}

func TestEventStreamLive(t *testing.T) {
	// A write timeout far shorter than the stream's life: it must not cut it.
	const writeTimeout = 50 * time.Millisecond
	s := start(t, NewRouter(), func(s *kk.Server) { s.WriteTimeout = writeTimeout })
	_, p := open(t, s, "/live/a?greeting=hi", nil)
	if ev, err := p.next(nil); err != nil || ev.data != "hi a" {
		t.Fatalf("greeting = %+v, %v", ev, err)
	}
	time.Sleep(3 * writeTimeout) // the stream outlives the write timeout
	for i := range 3 {
		want := kk.Event{ID: fmt.Sprint(i + 1), Data: fmt.Sprintf("update %d", i)}
		within(t, 2*time.Second, "feeding an event", func() { Feed("a") <- want })
		ev, err := p.next(nil)
		if err != nil || ev != (event{id: want.ID, data: want.Data}) {
			t.Fatalf("event %d = %+v, %v; want %+v", i, ev, err, want)
		}
	}
	drainLeft()
}

// TestEventStreamClientLeaves closes the client while the handler waits:
// its context must end without any event being sent.
func TestEventStreamClientLeaves(t *testing.T) {
	s := start(t, NewRouter(), nil)
	drainLeft()
	resp, p := open(t, s, "/live/leaver", nil)
	if _, err := p.next(nil); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	waitLeft(t, "leaver", "the client left")
}

// TestEventStreamShutdown shuts the server down under an open stream.
func TestEventStreamShutdown(t *testing.T) {
	s := start(t, NewRouter(), nil)
	drainLeft()
	_, p := open(t, s, "/live/down", nil)
	if _, err := p.next(nil); err != nil {
		t.Fatal(err)
	}
	within(t, 5*time.Second, "shutting down", s.stop)
	waitLeft(t, "down", "the shutdown")
	within(t, 3*time.Second, "the stream ending", func() {
		if _, err := p.next(nil); err == nil {
			t.Error("the stream went on after the shutdown")
		}
	})
}

// TestEventStreamFraming reads a whole stream over a raw socket: the
// chunked framing, then each event's bytes, exactly.
func TestEventStreamFraming(t *testing.T) {
	s := start(t, NewRouter(), nil)
	conn, err := net.Dial("tcp", s.addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /frames HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 41\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	all, err := io.ReadAll(conn) // the server closes once the handler returns
	if err != nil {
		t.Fatal(err)
	}
	head, body, ok := strings.Cut(string(all), "\r\n\r\n")
	if !ok || !strings.HasPrefix(head, "HTTP/1.1 200 OK\r\n") || !strings.Contains(head, "\r\nTransfer-Encoding: chunked") ||
		strings.Contains(head, "Content-Length") {
		t.Fatalf("head:\n%s", head)
	}
	// De-chunk by hand: one chunk per event, then the last chunk.
	var events []string
	for {
		size, rest, ok := strings.Cut(body, "\r\n")
		n, err := strconv.ParseUint(size, 16, 32)
		if !ok || err != nil {
			t.Fatalf("bad chunk size line %q", size)
		}
		if n == 0 {
			if rest != "\r\n" {
				t.Fatalf("after the last chunk: %q", rest)
			}
			break
		}
		if len(rest) < int(n)+2 || rest[n:n+2] != "\r\n" {
			t.Fatalf("chunk of %d bytes is not followed by CRLF: %q", n, rest)
		}
		events, body = append(events, rest[:n]), rest[n+2:]
	}
	want := []string{
		"data: one line\n\n",
		"id: 7\nevent: multi\ndata: first\ndata: second\ndata: third\ndata: fourth\n\n",
		"data:   leading spaces\ndata: \ndata: trailing blank\ndata: \n\n",
		"data: \n\n",
		"retry: 1500\n\n",
		"id: last-seen\ndata: last event id was 41\n\n",
		"event: json\ndata: {\"a\":1,\"text\":\"x\\ny\"}\n\n",
		"event: end\ndata: bye\n\n",
	}
	if strings.Join(events, "|") != strings.Join(want, "|") {
		t.Errorf("events:\n%q\nwant:\n%q", events, want)
	}
	// And what a browser's parser makes of them.
	p := &parser{r: bufio.NewReader(strings.NewReader(strings.Join(events, "")))}
	wantParsed := []event{
		{data: "one line"},
		{id: "7", typ: "multi", data: "first\nsecond\nthird\nfourth"},
		{id: "7", data: "  leading spaces\n\ntrailing blank\n"},
		{id: "7", data: ""},
		{id: "last-seen", data: "last event id was 41", retry: 1500},
		{id: "last-seen", typ: "json", data: `{"a":1,"text":"x\ny"}`, retry: 1500},
		{id: "last-seen", typ: "end", data: "bye", retry: 1500},
	}
	for i, w := range wantParsed {
		ev, err := p.next(nil)
		if err != nil || ev != w {
			t.Errorf("parsed event %d = %+v, %v; want %+v", i, ev, err, w)
		}
	}
}

func TestEventStreamHTTP10(t *testing.T) {
	s := start(t, NewRouter(), nil)
	conn, err := net.Dial("tcp", s.addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /numbered/3 HTTP/1.0\r\nHost: x\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	all, _ := io.ReadAll(conn)
	head, body, _ := strings.Cut(string(all), "\r\n\r\n")
	if strings.Contains(head, "chunked") || strings.Contains(head, "Content-Length") || body != "data: xxx\n\n" {
		t.Errorf("HTTP/1.0 stream:\n%s\n\n%q", head, body)
	}
}

// TestEventStreamBinding: other parameters bind first; a failure is the
// usual 4xx, not a stream.
func TestEventStreamBinding(t *testing.T) {
	s := start(t, NewRouter(), nil)
	resp, err := s.client.Get(s.base + "/numbered/many")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(b), `path parameter \"n\"`) || resp.Header.Get("Content-Type") == "text/event-stream" {
		t.Errorf("GET /numbered/many = %d %s %s; want a 400 naming n", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	resp, err = s.client.Head(s.base + "/frames")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Errorf("HEAD /frames = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// TestEventStreamHandlerEnds: the response ends when the handler returns,
// whether with an error or a panic, and the server serves on.
func TestEventStreamHandlerEnds(t *testing.T) {
	s := start(t, NewRouter(), nil)
	for _, path := range []string{"/broken", "/panicky"} {
		_, p := open(t, s, path, nil)
		ev, err := p.next(nil)
		if err != nil || !strings.HasPrefix(ev.data, "about to") {
			t.Fatalf("%s: %+v, %v", path, ev, err)
		}
		within(t, 3*time.Second, path+" ending", func() {
			if _, err := p.next(nil); err != io.EOF {
				t.Errorf("%s after the handler returned: %v, want io.EOF", path, err)
			}
		})
	}
	if st, got := s.post(t, "/tiny", "", strings.NewReader("still here"), 10); st != 200 {
		t.Errorf("after a panicking stream: %d %s", st, got)
	}
}

// TestEventStreamMany opens many streams at once and delivers one event
// to each.
func TestEventStreamMany(t *testing.T) {
	s := start(t, NewRouter(), nil)
	drainLeft()
	const n = 50
	parsers := make([]*parser, n)
	for i := range parsers {
		_, parsers[i] = open(t, s, fmt.Sprintf("/live/s%d", i), nil)
		if _, err := parsers[i].next(nil); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i := range n {
		select {
		case Feed(fmt.Sprintf("s%d", i)) <- kk.Event{Data: fmt.Sprintf("to s%d", i)}:
		case <-ctx.Done():
			t.Fatal("feeding timed out")
		}
	}
	within(t, 5*time.Second, "reading the events", func() {
		for i, p := range parsers {
			if ev, err := p.next(nil); err != nil || ev.data != fmt.Sprintf("to s%d", i) {
				t.Errorf("stream %d: %+v, %v", i, ev, err)
				return
			}
		}
	})
}
