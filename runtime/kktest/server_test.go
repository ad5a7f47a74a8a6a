package kktest_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// echoRouter serves GET /hello (text) and POST /echo (the body back).
func echoRouter() *kk.Router {
	return kk.New(kk.Table{
		Routes: []kk.Route{
			{Method: "GET", Pattern: "/hello", Name: "Hello", Handler: func(c *kk.Ctx) error { return kk.Text(c, "hello") }},
			{Method: "POST", Pattern: "/echo", Name: "Echo", Handler: func(c *kk.Ctx) error {
				c.SetBody(c.PostBody())
				return nil
			}},
		},
		Methods: []string{"GET", "POST"},
		Match: func(method string, path []byte, _ *kk.Params) int {
			switch {
			case method == "GET" && string(path) == "/hello":
				return 0
			case method == "POST" && string(path) == "/echo":
				return 1
			}
			return -1
		},
	})
}

// TestNewServer serves through the real server: net/http's client on the
// in-memory listener, a raw connection for what it cannot send.
func TestNewServer(t *testing.T) {
	s := kktest.NewServer(t, echoRouter())
	if s.URL != "http://kktest" {
		t.Errorf("URL = %q", s.URL)
	}
	resp, err := s.Client().Get(s.URL + "/hello")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "hello" || resp.Header.Get("Server") != "kk" {
		t.Errorf("GET /hello: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	// A malformed request line is fasthttp's parser's business: 400.
	c, err := s.Dial()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprint(c, "GET /hello HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
	resp, err = http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 400 || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("malformed header: %v %v", resp, err)
	}
}

// TestStartWithLimits: the server's limits apply in memory as on a socket.
func TestStartWithLimits(t *testing.T) {
	s := kktest.Start(t, &kk.Server{Router: echoRouter(), MaxBodySize: 1 << 10})
	for _, tc := range []struct {
		size   int
		status int
	}{{1 << 10, 200}, {2 << 10, 413}} {
		resp, err := s.Client().Post(s.URL+"/echo", "text/plain", bytes.NewReader(make([]byte, tc.size)))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%d-byte body: %d, want %d", tc.size, resp.StatusCode, tc.status)
		}
		if tc.status == 413 && !strings.Contains(string(body), `"status":413`) {
			t.Errorf("413 body %s", body)
		}
	}
	resp, err := s.Client().Get(s.URL + "/hello") // leaves a keep-alive connection open
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if st := s.Stats(); st.Addr != "InmemoryListener" || st.Connections < 1 { // the 413's closes by itself, soon
		t.Errorf("Stats = %+v", st)
	}
}

// TestClientTransport checks what Client's transport promises: keep-alive
// reuse (bodies read or empty), a large body the server refuses early
// without the writer hanging, and cancellation by the request's context.
func TestClientTransport(t *testing.T) {
	release := make(chan struct{})
	r := kk.New(kk.Table{
		Routes: []kk.Route{
			{Method: "GET", Pattern: "/hello", Name: "Hello", Handler: func(c *kk.Ctx) error { return kk.Text(c, "hello") }},
			{Method: "GET", Pattern: "/empty", Name: "Empty", Handler: func(c *kk.Ctx) error { return kk.NoContent(c) }},
			{Method: "GET", Pattern: "/slow", Name: "Slow", Handler: func(c *kk.Ctx) error { <-release; return nil }},
		},
		Methods: []string{"GET"},
		Match: func(method string, path []byte, _ *kk.Params) int {
			for i, p := range []string{"/hello", "/empty", "/slow"} {
				if string(path) == p && (method == "GET" || method == "POST") {
					return i
				}
			}
			return -1
		},
	})
	s := kktest.Start(t, &kk.Server{Router: r, MaxBodySize: 1 << 10})
	defer close(release)
	hc := s.Client()
	for _, req := range []struct{ method, path, body string }{
		{"GET", "/hello", "hello"}, {"GET", "/empty", ""}, {"HEAD", "/hello", ""}, {"GET", "/hello", "hello"},
	} {
		r, _ := http.NewRequest(req.method, s.URL+req.path, nil)
		resp, err := hc.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != req.body {
			t.Errorf("%s %s: body %q, want %q", req.method, req.path, b, req.body)
		}
	}
	if n := s.Stats().Connections; n != 1 {
		t.Errorf("%d connections after four sequential requests, want 1 (kept alive)", n)
	}

	// 8 MiB to a server that takes 1 KiB: the 413 arrives, the writer stops.
	resp, err := hc.Post(s.URL+"/hello", "application/octet-stream", io.LimitReader(zeros{}, 8<<20))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Errorf("8 MiB body: %d, want 413", resp.StatusCode)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/slow", nil)
	if _, err := hc.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("request past its context's deadline: %v, want DeadlineExceeded", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestClientUpgrade: a 101 answer's body is the connection, readable and
// writable in the new protocol, as with net/http's transport.
func TestClientUpgrade(t *testing.T) {
	r := kk.New(kk.Table{
		Routes: []kk.Route{{Method: "GET", Pattern: "/echo", Name: "Echo", Handler: func(c *kk.Ctx) error {
			c.SetStatusCode(http.StatusSwitchingProtocols)
			c.Response.Header.Set("Upgrade", "echo")
			c.Response.Header.Set("Connection", "Upgrade")
			c.Hijack(func(conn net.Conn) { io.Copy(conn, conn) })
			return nil
		}}},
		Methods: []string{"GET"},
		Match:   func(string, []byte, *kk.Params) int { return 0 },
	})
	s := kktest.NewServer(t, r)
	req, _ := http.NewRequest("GET", s.URL+"/echo", nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "echo")
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rw, ok := resp.Body.(io.ReadWriteCloser)
	if resp.StatusCode != 101 || !ok {
		t.Fatalf("upgrade: %d, body %T", resp.StatusCode, resp.Body)
	}
	io.WriteString(rw, "ping")
	got := make([]byte, 4)
	if _, err := io.ReadFull(rw, got); err != nil || string(got) != "ping" {
		t.Errorf("echoed %q, %v", got, err)
	}
}

// TestNewTCPServer serves on a real loopback socket: net/http's own
// transport reaches it by its URL, Client and Dial reach it too, and the
// listener is closed when the test that started it ends.
func TestNewTCPServer(t *testing.T) {
	var url string
	t.Run("serve", func(t *testing.T) {
		s := kktest.NewTCPServer(t, echoRouter())
		url = s.URL
		if !strings.HasPrefix(s.URL, "http://127.0.0.1:") || strings.HasSuffix(s.URL, ":0") {
			t.Fatalf("URL = %q", s.URL)
		}
		hc := &http.Client{Transport: &http.Transport{}}
		defer hc.CloseIdleConnections()
		for _, c := range []*http.Client{hc, s.Client()} {
			resp, err := c.Post(s.URL+"/echo", "text/plain", strings.NewReader("ping"))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || string(body) != "ping" {
				t.Errorf("POST /echo: %d %q", resp.StatusCode, body)
			}
		}
		c, err := s.Dial()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if c.RemoteAddr().String() != strings.TrimPrefix(s.URL, "http://") {
			t.Errorf("Dial reached %v, not %s", c.RemoteAddr(), s.URL)
		}
		fmt.Fprint(c, "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("raw GET /hello: %v %v", resp, err)
		}
	})
	if c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://")); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after the test ended", url)
	}
}

// TestStartTCPListener serves on the test's own loopback listener, with
// the server's limits.
func TestStartTCPListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := kktest.StartTCP(t, &kk.Server{Listener: ln, Router: echoRouter(), MaxBodySize: 1 << 10})
	if s.URL != "http://"+ln.Addr().String() {
		t.Errorf("URL = %q, listener at %v", s.URL, ln.Addr())
	}
	resp, err := s.Client().Post(s.URL+"/echo", "text/plain", strings.NewReader(strings.Repeat("x", 2<<10)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Errorf("over MaxBodySize: %d", resp.StatusCode)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		c.Close()
		t.Errorf("the listener accepts connections after Close")
	}
}
