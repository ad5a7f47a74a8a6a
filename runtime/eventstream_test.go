package kk_test

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// streamRouter serves GET /s with an event stream that sends nothing and
// reports on ended when its context is done.
func streamRouter(ended chan<- error) *kk.Router {
	h := func(c *kk.Ctx) error {
		return kk.ServeEventStream(c, func(es *kk.EventStream) error {
			<-es.Context().Done()
			ended <- es.Send(kk.Event{Data: "too late"})
			return nil
		})
	}
	return kk.New(kk.Table{
		Routes:  []kk.Route{{Method: "GET", Pattern: "/s", Name: "S", Handler: h}},
		Methods: []string{"GET"},
		Match: func(method string, p []byte, ps *kk.Params) int {
			if method == "GET" && string(p) == "/s" {
				return 0
			}
			return -1
		},
	})
}

func serveStreams(t *testing.T, r *kk.Router) (addr string, stop func()) {
	t.Helper()
	s := kktest.NewTCPServer(t, r)
	return strings.TrimPrefix(s.URL, "http://"), func() { s.Close() }
}

// TestEventStreamHeartbeat: an idle stream gets a comment line every
// interval, and a stream whose client left is noticed: its context ends
// and sends fail.
func TestEventStreamHeartbeat(t *testing.T) {
	defer kk.SetHeartbeat(100 * time.Millisecond)()
	ended := make(chan error, 1)
	addr, _ := serveStreams(t, streamRouter(ended))
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(conn, "GET /s HTTP/1.1\r\nHost: x\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(conn)
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if l == "\r\n" {
			break // end of the headers
		}
	}
	start := time.Now()
	pings := 0
	for pings < 3 {
		l, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(l, ":") {
			pings++
		}
	}
	if d := time.Since(start); d < 250*time.Millisecond || d > 2*time.Second {
		t.Errorf("3 heartbeats at a 100ms interval took %v", d)
	}
	conn.Close()
	select {
	case err := <-ended:
		if err == nil {
			t.Error("a send after the client left succeeded")
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the stream's context did not end after the client left")
	}
}

// TestEventStreamShutdownWaits: Serve's shutdown cancels open streams.
func TestEventStreamShutdownWaits(t *testing.T) {
	ended := make(chan error, 1)
	addr, stop := serveStreams(t, streamRouter(ended))
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /s HTTP/1.1\r\nHost: x\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if l, err := bufio.NewReader(conn).ReadString('\n'); err != nil || !strings.HasPrefix(l, "HTTP/1.1 200") {
		t.Fatalf("%q %v", l, err)
	}
	stop()
	select {
	case <-ended:
	case <-time.After(3 * time.Second):
		t.Fatal("shutdown did not cancel the stream")
	}
}

// TestEventStreamPlainFasthttp: on a fasthttp server that closes hijacked
// connections (not kk's), the stream runs in fasthttp's hijack handler;
// it must still end when the client leaves, and the server must shut down.
func TestEventStreamPlainFasthttp(t *testing.T) {
	defer kk.SetHeartbeat(50 * time.Millisecond)()
	ended := make(chan error, 1)
	s := &fasthttp.Server{Handler: streamRouter(ended).Handler()}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	defer s.Shutdown()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(conn, "GET /s HTTP/1.1\r\nHost: x\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(conn)
	if l, err := br.ReadString('\n'); err != nil || !strings.HasPrefix(l, "HTTP/1.1 200") {
		t.Fatalf("%q %v", l, err)
	}
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(l, ": ping") {
			break // the heartbeat arrives through the hijacked connection
		}
	}
	conn.Close()
	select {
	case <-ended:
	case <-time.After(3 * time.Second):
		t.Fatal("the stream's context did not end after the client left")
	}
}
