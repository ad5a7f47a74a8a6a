package streams

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// serverLimit is the server-wide body limit these tests run with, well
// under the routes that raise it.
const serverLimit = 64 << 10

// server is one running kk server on a loopback port.
type server struct {
	base   string
	stop   func() // shuts the server down and waits for it
	client *http.Client
}

// start serves r with kk.Run on a fresh loopback port, with a 64 KiB
// body limit (and tune's changes), until the test ends.
func start(t *testing.T, r *kk.Router, tune func(*kk.Server)) *server {
	t.Helper()
	srv := &kk.Server{Router: r, MaxBodySize: serverLimit}
	if tune != nil {
		tune(srv)
	}
	ks := kktest.StartTCP(t, srv)
	return newServer(t, ks.URL, ks.Close)
}

// startFasthttp serves fs, a fasthttp server of the caller's own around a
// kk router's Handler, the same way, shutting it down with fasthttp's
// Shutdown.
func startFasthttp(t *testing.T, fs *fasthttp.Server) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- fs.Serve(ln) }()
	shutdown := func() error {
		select {
		case err := <-served:
			return err
		default:
		}
		return errors.Join(fs.Shutdown(), <-served)
	}
	s := newServer(t, "http://"+ln.Addr().String(), shutdown)
	t.Cleanup(s.stop)
	return s
}

// newServer is the client side of a server at base that shutdown stops.
func newServer(t *testing.T, base string, shutdown func() error) *server {
	tr := &http.Transport{Proxy: nil, DisableCompression: true, ExpectContinueTimeout: 5 * time.Second}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		tr.CloseIdleConnections()
		if err := shutdown(); err != nil {
			t.Errorf("serve returned %v", err)
		}
	}
	return &server{base: base, stop: stop,
		client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

func (s *server) addr() string { return strings.TrimPrefix(s.base, "http://") }

// post sends body to path; chunked hides its length so it goes chunked.
func (s *server) post(t *testing.T, path, ctype string, body io.Reader, length int64) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", s.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = length // -1: chunked
	if length > 0 {
		// As curl does for large bodies: the server may refuse before the
		// body is sent, instead of resetting a connection still sending.
		req.Header.Set("Expect", "100-continue")
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// opaque hides a reader's type, so net/http cannot learn its length.
type opaque struct{ io.Reader }

func bytesOf(n int) *strings.Reader { return strings.NewReader(strings.Repeat("a", n)) }

func TestBodyLimits(t *testing.T) {
	s := start(t, NewRouter(), nil)
	note := func(n int) string { return `{"text":"` + strings.Repeat("n", n) + `"}` }
	for _, tc := range []struct {
		name, path, ctype string
		body              string
		chunked           bool
		status            int
		want              string // substring of the body
	}{
		{"raw at the route's limit", "/tiny", "", strings.Repeat("a", 16), false, 200, "16:aaaa"},
		{"raw over the route's limit", "/tiny", "", strings.Repeat("a", 17), false, 413, "limit of 16 bytes"},
		{"chunked raw at the route's limit", "/tiny", "", strings.Repeat("b", 16), true, 200, "16:bbbb"},
		{"chunked raw over the route's limit", "/tiny", "", strings.Repeat("b", 17), true, 413, "limit of 16 bytes"},
		{"JSON over the server's limit, under the route's", "/big", "application/json", note(1 << 20), false, 200, "1048576"},
		{"chunked JSON over the server's limit, under the route's", "/big", "application/json", note(1 << 20), true, 200, "1048576"},
		{"JSON over the route's limit", "/big", "application/json", note(8 << 20), false, 413, "limit of 8 MiB"},
		{"chunked JSON over the route's limit", "/big", "application/json", note(8 << 20), true, 413, "limit of 8 MiB"},
		{"JSON under the server's limit", "/ordinary", "application/json", note(1000), false, 200, "1000"},
		{"JSON over the server's limit", "/ordinary", "application/json", note(serverLimit), false, 413, "limit of 64 KiB"},
		{"chunked JSON over the server's limit", "/ordinary", "application/json", note(serverLimit), true, 413, "limit of 64 KiB"},
		{"stream at its limit", "/capped", "", strings.Repeat("c", 1024), true, 200, "1024"},
		{"stream over its limit, error wrapped by the handler", "/capped", "", strings.Repeat("c", 1025), true, 413, "limit of 1 KiB"},
		{"stream over its limit by Content-Length", "/capped", "", strings.Repeat("c", 1025), false, 413, "limit of 1 KiB"},
		{"stream under the server's limit", "/plain", "", strings.Repeat("p", 60<<10), true, 200, "61440"},
		{"stream over the server's limit", "/plain", "", strings.Repeat("p", serverLimit+1), true, 413, "limit of 64 KiB"},
		{"stream far over the server's limit, under the route's", "/upload", "", strings.Repeat("u", 20<<20), true, 200, "20971520"},
		{"empty stream", "/upload", "", "", false, 200, "0"},
	} {
		var body io.Reader = strings.NewReader(tc.body)
		length := int64(len(tc.body))
		if tc.chunked {
			body, length = opaque{body}, -1
		}
		status, got := s.post(t, tc.path, tc.ctype, body, length)
		if status != tc.status || !strings.Contains(got, tc.want) {
			t.Errorf("%s: POST %s = %d %.200s\nwant %d containing %q", tc.name, tc.path, status, got, tc.status, tc.want)
		}
	}
}

// TestBodyLimitBeforeReading sends the headers of a body over the limit
// and at most the 8 KiB fasthttp reads ahead: the 413 must come back
// without the rest of the body. With "Expect: 100-continue" it comes
// back instead of the 100, before any of the body.
func TestBodyLimitBeforeReading(t *testing.T) {
	s := start(t, NewRouter(), nil)
	for _, mode := range []string{"some body", "no body", "expect"} {
		expect := mode == "expect"
		for _, tc := range []struct{ path, length, want string }{
			{"/big", fmt.Sprint(8<<20 + 1), "limit of 8 MiB"},
			{"/ordinary", fmt.Sprint(serverLimit + 1), "limit of 64 KiB"},
			{"/upload", fmt.Sprint(int64(2<<30) + 1), "limit of 2 GiB"},
			{"/capped", "1025", "limit of 1 KiB"},
			{"/capped", "10737418240", "limit of 1 KiB"}, // past the largest route's limit (2 GiB)
			{"/ordinary", "10737418240", "limit of 64 KiB"},
			{"/tiny", "17", "limit of 16 bytes"},
		} {
			conn, err := net.Dial("tcp", s.addr())
			if err != nil {
				t.Fatal(err)
			}
			head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %s\r\n", tc.path, tc.length)
			if expect {
				head += "Expect: 100-continue\r\n"
			}
			io.WriteString(conn, head+"\r\n")
			if mode == "some body" {
				n := min(8<<10, atoi(tc.length))
				conn.Write([]byte(strings.Repeat("x", n)))
			}
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Errorf("POST %s with Content-Length %s, %s: %v", tc.path, tc.length, mode, err)
				conn.Close()
				continue
			}
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 413 || !strings.Contains(string(b), tc.want) || !resp.Close {
				t.Errorf("POST %s with Content-Length %s, %s = %d close=%v %s; want 413 %q and the connection closed", tc.path, tc.length, mode, resp.StatusCode, resp.Close, b, tc.want)
			}
			conn.Close()
		}
	}
}

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}

// TestBodyLimitOnBufferingServer serves the router on a fasthttp server
// that reads bodies itself: a route's smaller limit still holds.
func TestBodyLimitOnBufferingServer(t *testing.T) {
	fs := &fasthttp.Server{Handler: NewRouter().Handler(), MaxRequestBodySize: serverLimit}
	s := startFasthttp(t, fs)
	if st, got := s.post(t, "/tiny", "", bytesOf(17), 17); st != 413 {
		t.Errorf("17 bytes to /tiny = %d %s; want 413", st, got)
	}
	if st, got := s.post(t, "/tiny", "", opaque{bytesOf(17)}, -1); st != 413 {
		t.Errorf("17 chunked bytes to /tiny = %d %s; want 413", st, got)
	}
	if st, got := s.post(t, "/capped", "", opaque{bytesOf(1000)}, -1); st != 200 || got != "1000" {
		t.Errorf("1000 chunked bytes to /capped = %d %s; want 200 1000", st, got)
	}
}

func TestDownload(t *testing.T) {
	s := start(t, NewRouter(), nil)
	resp, err := s.client.Get(s.base + "/download?size=1000003")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 1000003 || resp.Header.Get("Content-Type") != "application/octet-stream" || resp.ContentLength != -1 {
		t.Fatalf("download = %d bytes, %q, length %d; want 1000003 streamed octets", len(b), resp.Header.Get("Content-Type"), resp.ContentLength)
	}
	for i, c := range b {
		if c != byte('0'+i%10) {
			t.Fatalf("byte %d = %q, want %q", i, c, byte('0'+i%10))
		}
	}
}

// TestDownloadBackpressure reads a few bytes of a gigabyte download and
// stops: the server must have produced only about what the sockets hold.
func TestDownloadBackpressure(t *testing.T) {
	s := start(t, NewRouter(), nil)
	conn, err := net.Dial("tcp", s.addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /download?size=%d HTTP/1.1\r\nHost: x\r\n\r\n", 1<<30)
	br := bufio.NewReaderSize(conn, 4096)
	if _, err := io.ReadFull(br, make([]byte, 256<<10)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // let the server write all it can
	first := Served.Load()
	time.Sleep(300 * time.Millisecond)
	if again := Served.Load(); again != first || first > 64<<20 {
		t.Errorf("a client that stopped reading after 256 KiB: the server produced %d bytes, then %d; want a stall well under 64 MiB", first, again)
	}
	if _, err := io.ReadFull(br, make([]byte, 8<<20)); err != nil {
		t.Fatal(err)
	}
	if after := Served.Load(); after <= first {
		t.Errorf("reading on did not resume the download: %d then %d bytes", first, after)
	}
}
