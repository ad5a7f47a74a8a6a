package main

// The hostile-request suite: requests an attacker (or a broken client)
// sends, written byte by byte on raw loopback sockets to the real kk
// server serving the example, each with the exact answer expected. See
// RELIABILITY.md for what kk promises and why each answer is the right one.
//
//	go test ./example -run 'Hostile' -v

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// hostileBodyLimit is the body limit of the suite's server: small, so the
// over-the-limit cases send little.
const hostileBodyLimit = 64 << 10

// limits are the server settings a test changes; zero keeps the suite's
// (3 s timeouts, kk's default header size).
type limits struct {
	read, write, idle time.Duration
	maxHeader         int
	tune              func(*kk.Router) // more middleware on the example's router, if set
}

// hostileServer serves the example with kk's defaults except for the
// timeouts and the body limit, shortened so a case that leans on a
// timeout shows (every answer must come well before ReadTimeout), and
// with each connection's close recorded. It stops at the test's end.
func hostileServer(t testing.TB, l limits) (addr string, closed *connLog) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed = &connLog{addrs: map[string]bool{}}
	r := testRouter(t)
	if l.tune != nil {
		l.tune(r)
	}
	srv := &kk.Server{
		Listener:      recordingListener{ln, closed},
		Router:        r,
		ReadTimeout:   cmp.Or(l.read, 3*time.Second),
		WriteTimeout:  cmp.Or(l.write, 3*time.Second),
		IdleTimeout:   cmp.Or(l.idle, 3*time.Second),
		MaxBodySize:   hostileBodyLimit,
		MaxHeaderSize: l.maxHeader,
	}
	kktest.StartTCP(t, srv)
	return ln.Addr().String(), closed
}

// recordingListener records in log each connection the server closes (or
// half-closes, giving up on it), by the client's address.
type recordingListener struct {
	net.Listener
	log *connLog
}

func (l recordingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &recordingConn{Conn: c, log: l.log}, nil
}

type recordingConn struct {
	net.Conn
	log *connLog
}

func (c *recordingConn) Close() error {
	c.log.add(c.RemoteAddr().String())
	return c.Conn.Close()
}

// CloseWrite keeps the half-close of the connection underneath.
func (c *recordingConn) CloseWrite() error {
	c.log.add(c.RemoteAddr().String())
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// connLog records the connections the server has closed, by the client's
// address.
type connLog struct {
	mu    sync.Mutex
	addrs map[string]bool
}

func (l *connLog) add(remote string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.addrs[remote] = true
}

// count is how many connections the server has closed.
func (l *connLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.addrs)
}

// has reports whether the server has closed the connection from remote.
func (l *connLog) has(remote string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.addrs[remote]
}

// hostile is one case: raw bytes in, exact answer out.
type hostile struct {
	name   string
	req    string
	status int    // the status of the (first) final response
	close  bool   // the server must close the connection after answering
	n      int    // final responses that must come back (0 means 1): framing cases check nothing was smuggled
	detail string // a substring the answer's body must hold
	not    string // a substring it must not hold (traversal: the file's content)
	no100  bool   // no 100 Continue may come before the answer
}

const (
	host      = "Host: kk\r\n"
	authz     = "Authorization: Bearer " + testToken + "\r\n"
	smuggled  = "GET /debug/fail HTTP/1.1\r\n" + host + "\r\n" // a 500 if it is ever served
	jsonCT    = "Content-Type: application/json\r\n"
	createURL = "POST /api/v1/users HTTP/1.1\r\n" + host + authz + jsonCT
)

func get(target string) string { return "GET " + target + " HTTP/1.1\r\n" + host + "\r\n" }

func hostileCases() []hostile {
	bigCookie := "Cookie: s=" + strings.Repeat("c", 8<<10) + "\r\n"
	var manyFields, tooManyFields strings.Builder
	for i := range kk.MaxHeaderFields - 1 { // plus Host: exactly the limit
		fmt.Fprintf(&manyFields, "X-F%d: v\r\n", i)
	}
	fmt.Fprintf(&tooManyFields, "%sX-Last: v\r\n", manyFields.String())
	nested := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	nestedObj := strings.Repeat(`{"a":`, 10200) + "1" + strings.Repeat("}", 10200)
	var chunks strings.Builder
	for range hostileBodyLimit/4096 + 2 {
		fmt.Fprintf(&chunks, "1000\r\n%s\r\n", strings.Repeat("x", 4096))
	}
	chunks.WriteString("0\r\n\r\n")
	return []hostile{
		// Smuggling: a request whose end two parsers may see differently
		// is refused, and nothing after it on the connection is served.
		{name: "CL.TE", req: createURL + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
			status: 400, close: true, detail: "both Content-Length and Transfer-Encoding"},
		{name: "TE.CL", req: createURL + "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n" + smuggled,
			status: 400, close: true, detail: "both Content-Length and Transfer-Encoding"},
		{name: "TE identity with CL", req: createURL + "Transfer-Encoding: identity\r\nContent-Length: 2\r\n\r\n{}" + smuggled,
			status: 400, close: true, detail: "both Content-Length and Transfer-Encoding"},
		{name: "TE identity alone", req: createURL + "Transfer-Encoding: identity\r\n\r\n" + smuggled,
			status: 501, close: true},
		{name: "TE gzip", req: createURL + "Transfer-Encoding: gzip\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "TE gzip, chunked", req: createURL + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "TE chunked, chunked", req: createURL + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "TE twice", req: createURL + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "TE gzip, then TE chunked", req: createURL + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "TE identity, then TE chunked", req: createURL + "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "TE chunked on HTTP/1.0 (GET)", req: "GET /healthz HTTP/1.0\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
			status: 400, close: true},
		{name: "TE xchunked", req: createURL + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "TE on HTTP/1.0", req: "POST /api/v1/users HTTP/1.0\r\n" + host + authz + jsonCT + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" + smuggled,
			status: 400, close: true},
		{name: "TE obs-fold", req: createURL + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "TE with CL 0 and junk", req: createURL + "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "CL twice, same", req: createURL + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}" + smuggled, status: 400, close: true},
		{name: "CL twice, different", req: createURL + "Content-Length: 2\r\nContent-Length: 30\r\n\r\n{}" + smuggled, status: 400, close: true},
		{name: "CL list", req: createURL + "Content-Length: 2, 2\r\n\r\n{}" + smuggled, status: 400, close: true},
		{name: "CL plus sign", req: createURL + "Content-Length: +2\r\n\r\n{}" + smuggled, status: 400, close: true},
		{name: "CL negative", req: createURL + "Content-Length: -1\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "CL hex", req: createURL + "Content-Length: 0x2\r\n\r\n{}" + smuggled, status: 400, close: true},
		{name: "CL overflow", req: createURL + "Content-Length: 99999999999999999999999\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "CL obs-fold", req: createURL + "Content-Length:\r\n 2\r\n\r\n{}" + smuggled, status: 400, close: true},
		{name: "obs-fold", req: "GET /healthz HTTP/1.1\r\n" + host + "X-A: a\r\n b\r\n\r\n", status: 400, close: true, detail: "obsolete line folding"},
		{name: "chunk size overflow", req: createURL + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff1\r\nx\r\n0\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "chunk size not hex", req: createURL + "Transfer-Encoding: chunked\r\n\r\nzz\r\nx\r\n0\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "chunk size negative", req: createURL + "Transfer-Encoding: chunked\r\n\r\n-1\r\nx\r\n0\r\n\r\n" + smuggled, status: 400, close: true},
		// fasthttp skips a chunk extension up to its CR without looking:
		// a control byte there is ignored, as the framing stays
		// unambiguous (CR and LF are both strict), and the request after
		// it is a plain pipelined one.
		{name: "chunk ext with control byte", req: createURL + "Transfer-Encoding: chunked\r\n\r\n2;a=\x01\r\n{}\r\n0\r\n\r\n" + get("/healthz"), status: 422, n: 2},
		{name: "chunk ext with bare CR", req: createURL + "Transfer-Encoding: chunked\r\n\r\n2;a\r{}\r\n0\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "chunk ext with bare LF", req: createURL + "Transfer-Encoding: chunked\r\n\r\n2;a\n{}\r\n0\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "chunk data too long", req: createURL + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}xx\r\n0\r\n\r\n" + smuggled, status: 400, close: true},
		{name: "chunked, fine", req: createURL + "Transfer-Encoding: chunked\r\n\r\n2;ext=1\r\n{}\r\n0\r\n\r\n",
			status: 422, detail: "must be 2 to 32 characters"},

		// Malformed syntax.
		{name: "NUL in target", req: "GET /healthz\x00 HTTP/1.1\r\n" + host + "\r\n", status: 400, close: true},
		{name: "control byte in target", req: "GET /heal\x01thz HTTP/1.1\r\n" + host + "\r\n", status: 400, close: true},
		{name: "NUL in header value", req: "GET /healthz HTTP/1.1\r\n" + host + "X-A: a\x00b\r\n\r\n", status: 400, close: true},
		{name: "control byte in header value", req: "GET /healthz HTTP/1.1\r\n" + host + "X-A: a\x07b\r\n\r\n", status: 400, close: true},
		{name: "DEL in header value", req: "GET /healthz HTTP/1.1\r\n" + host + "X-A: a\x7fb\r\n\r\n", status: 400, close: true},
		{name: "NUL in header name", req: "GET /healthz HTTP/1.1\r\n" + host + "X-\x00A: a\r\n\r\n", status: 400, close: true},
		{name: "space before colon", req: "GET /healthz HTTP/1.1\r\n" + host + "X-A : a\r\n\r\n", status: 400, close: true},
		{name: "space before colon on Host", req: "GET /healthz HTTP/1.1\r\nHost : kk\r\n\r\n", status: 400, close: true},
		{name: "tab before colon", req: "GET /healthz HTTP/1.1\r\n" + host + "X-A\t: a\r\n\r\n", status: 400, close: true},
		{name: "no colon", req: "GET /healthz HTTP/1.1\r\n" + host + "X-A a\r\n\r\n", status: 400, close: true},
		{name: "empty field name", req: "GET /healthz HTTP/1.1\r\n" + host + ": a\r\n\r\n", status: 400, close: true},
		{name: "no Host", req: "GET /healthz HTTP/1.1\r\n\r\n", status: 400, close: true},
		{name: "Host twice", req: "GET /healthz HTTP/1.1\r\n" + host + host + "\r\n", status: 400, close: true},
		{name: "Host with userinfo", req: "GET /healthz HTTP/1.1\r\nHost: a@kk\r\n\r\n", status: 400, close: true},
		{name: "HTTP/1.0 without Host", req: "GET /healthz HTTP/1.0\r\n\r\n", status: 204, close: true},
		{name: "HTTP/2.0", req: "GET /healthz HTTP/2.0\r\n" + host + "\r\n", status: 505, close: true},
		{name: "HTTP/9.9", req: "GET /healthz HTTP/9.9\r\n" + host + "\r\n", status: 505, close: true},
		{name: "HTTP/0.9", req: "GET /healthz HTTP/0.9\r\n" + host + "\r\n", status: 505, close: true},
		{name: "HTTP/1.2 is served as 1.x", req: "GET /healthz HTTP/1.2\r\n" + host + "\r\n", status: 204, close: true},
		{name: "HTTP/1.10", req: "GET /healthz HTTP/1.10\r\n" + host + "\r\n", status: 400, close: true},
		{name: "lower-case version", req: "GET /healthz http/1.1\r\n" + host + "\r\n", status: 400, close: true},
		{name: "no version", req: "GET /healthz\r\n" + host + "\r\n", status: 400, close: true},
		{name: "HTTP/2 preface", req: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", status: 400, close: true},
		{name: "bad method", req: "G@T /healthz HTTP/1.1\r\n" + host + "\r\n", status: 400, close: true},
		{name: "unknown method", req: "BREW /healthz HTTP/1.1\r\n" + host + "\r\n", status: 501}, // RFC 9110 §9.1; a 5xx body carries no detail
		{name: "unknown method, no route", req: "BREW /nowhere HTTP/1.1\r\n" + host + "\r\n", status: 501},
		{name: "8 KiB method", req: strings.Repeat("M", 8<<10) + " /healthz HTTP/1.1\r\n" + host + "\r\n", status: 501, close: true},
		{name: "target without slash", req: "GET healthz HTTP/1.1\r\n" + host + "\r\n", status: 400, close: true},
		{name: "asterisk target on GET", req: "GET * HTTP/1.1\r\n" + host + "\r\n", status: 400, close: true},
		{name: "absolute-form target", req: "GET http://kk/healthz HTTP/1.1\r\n" + host + "\r\n", status: 204},
		{name: "OPTIONS asterisk", req: "OPTIONS * HTTP/1.1\r\n" + host + "\r\n", status: 404},
		{name: "CONNECT", req: "CONNECT kk:443 HTTP/1.1\r\n" + host + "\r\n", status: 404}, // kk is no proxy
		{name: "leading empty lines", req: "\r\n\r\n" + get("/healthz"), status: 204},
		{name: "lower-case method", req: "get /healthz HTTP/1.1\r\n" + host + "\r\n", status: 501}, // methods are case-sensitive
		{name: "known method, other routes", req: "DELETE /healthz HTTP/1.1\r\n" + host + "\r\n", status: 405, detail: "allowed: GET, HEAD"},
		{name: "registered method, other routes", req: "PROPFIND /healthz HTTP/1.1\r\n" + host + "\r\n", status: 405, detail: "allowed: GET, HEAD"},
		{name: "two spaces in request line", req: "GET  /healthz HTTP/1.1\r\n" + host + "\r\n", status: 400, close: true},
		{name: "bare LF everywhere", req: "GET /healthz HTTP/1.1\nHost: kk\n\n", status: 400, close: true, detail: "bare LF"},
		{name: "bare LF blank line", req: "GET /healthz HTTP/1.1\r\nHost: kk\r\n\n", status: 400, close: true, detail: "bare LF"},
		{name: "bare LF before CRLF blank line", req: "GET /healthz HTTP/1.1\r\nHost: kk\n\r\n", status: 400, close: true, detail: "bare LF"},
		{name: "bare LF request line only", req: "GET /healthz HTTP/1.1\n" + host + "\r\n", status: 204},

		// Limits.
		{name: "target over 8 KiB", req: get("/healthz?q=" + strings.Repeat("a", kk.MaxRequestURISize)), status: 414, close: true},
		{name: "request line over the header size", req: get("/healthz?q=" + strings.Repeat("a", kk.DefaultMaxHeaderSize)), status: 431, close: true},
		{name: "8 KiB cookie", req: "GET /healthz HTTP/1.1\r\n" + host + bigCookie + "\r\n", status: 204},
		{name: "headers over the size", req: "GET /healthz HTTP/1.1\r\n" + host + "X-Big: " + strings.Repeat("b", kk.DefaultMaxHeaderSize) + "\r\n\r\n", status: 431, close: true},
		{name: "header fields at the limit", req: "GET /healthz HTTP/1.1\r\n" + host + manyFields.String() + "\r\n", status: 204},
		{name: "header fields over the limit", req: "GET /healthz HTTP/1.1\r\n" + host + tooManyFields.String() + "\r\n", status: 431, close: true, detail: "header fields"},
		{name: "body over the limit by length", req: createURL + fmt.Sprintf("Content-Length: %d\r\n\r\n", hostileBodyLimit+1) + strings.Repeat("x", hostileBodyLimit+1),
			status: 413, close: true},
		{name: "body over the limit by chunks", req: createURL + "Transfer-Encoding: chunked\r\n\r\n" + chunks.String(), status: 413, close: true},
		{name: "10 GiB announced, body unsent", req: createURL + "Content-Length: 10737418240\r\n\r\n", status: 413, close: true, no100: true},
		{name: "body at the limit", req: createURL + fmt.Sprintf("Content-Length: %d\r\n\r\n", hostileBodyLimit) + strings.Repeat(" ", hostileBodyLimit),
			status: 400, detail: "body is empty"},

		// Expect.
		{name: "Expect 100-continue over the limit", req: createURL + "Expect: 100-continue\r\n" + fmt.Sprintf("Content-Length: %d\r\n\r\n", hostileBodyLimit+1),
			status: 413, close: true, no100: true, detail: "limit of"}, // 65536 bytes, or 64 KiB with per-route limits
		{name: "Expect 100-continue within the limit", req: createURL + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n{}", status: 422},
		{name: "Expect unknown", req: "GET /healthz HTTP/1.1\r\n" + host + "Expect: 200-ok\r\n\r\n", status: 417, close: true},

		// Undecodable parameters: 400 naming the parameter.
		{name: "escape %zz in a string param", req: get("/static/a%zz"), status: 400, detail: `path parameter "path": "a%zz"`}, // //kk:static's catch-all
		{name: "escape %4 in a param", req: get("/api/v1/users/by-name/ab%4"), status: 400, detail: `path parameter "name"`},
		{name: "trailing % in a param", req: get("/users/x/ab%"), status: 400, detail: `path parameter "rest"`},
		{name: "escape %zz in a static segment", req: get("/api/v1/us%zzers"), status: 400, detail: `malformed percent-escape "%zz"`},
		{name: "escaped percent is fine", req: get("/static/%25zz"), status: 404},
		{name: "int param out of range", req: get("/api/v1/users/99999999999999999999"), status: 400, detail: `path parameter "id"`},
		{name: "int param not a number", req: get("/api/v1/users/abc/todos"), status: 400, detail: `path parameter "id"`},
		{name: "query param not a number", req: get("/api/v1/users?limit=ten"), status: 400, detail: `"limit"`},
		{name: "deeply nested JSON array", req: createURL + fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(nested), nested), status: 400, detail: "depth"},
		{name: "deeply nested JSON object", req: createURL + fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(nestedObj), nestedObj), status: 400, detail: "depth"},

		// Traversal on static files: the example's //kk:static /static. An
		// encoded dot segment or slash is refused (400); traversal_test.go
		// holds the table across every kind of route.
		{name: "traversal ..", req: get("/static/../main.go"), status: 404, not: "package main"},
		{name: "traversal %2e%2e", req: get("/static/%2e%2e/main.go"), status: 400, not: "package main"},
		{name: "traversal %2e%2e%2f", req: get("/static/%2e%2e%2fmain.go"), status: 400, not: "package main"},
		{name: "traversal ..%5c", req: get("/static/..%5cmain.go"), status: 404, not: "package main"},
		{name: "traversal double-encoded", req: get("/static/%252e%252e%252fmain.go"), status: 404, not: "package main"},
		{name: "traversal .%2e", req: get("/static/.%2e/.%2e/example/main.go"), status: 400, not: "package main"},
		{name: "traversal NUL", req: get("/static/index.html%00.css"), status: 404, not: "<html"},
		{name: "traversal absolute", req: get("/static//etc/passwd"), status: 404, not: "root:"},

		// Pipelining: answers in order, and a bad request ends the line.
		{name: "pipelined, in order", req: get("/healthz") + get("/api/v1/users/424242") + get("/"), status: 204, n: 3},
		{name: "pipelined, bad one ends it", req: get("/healthz") + createURL + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + get("/healthz"),
			status: 204, n: 2, close: true},
		{name: "pipelined after Connection: close", req: "GET /healthz HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n" + smuggled, status: 204, close: true},
		{name: "pipelined after HTTP/1.0", req: "GET /healthz HTTP/1.0\r\n\r\n" + smuggled, status: 204, close: true},
	}
}

// TestHostileRequests runs every case on its own connection, all at once
// (most of a case is waiting to see whether the server closes), then
// checks each, and that the server still answers after it.
func TestHostileRequests(t *testing.T) {
	addr, _ := hostileServer(t, limits{})
	cases := hostileCases()
	if len(cases) < 60 {
		t.Fatalf("%d cases; the suite promises at least 60", len(cases))
	}
	got := make([]exchanged, len(cases))
	after := make([]exchanged, len(cases))
	var wg sync.WaitGroup
	for i, tc := range cases {
		wg.Go(func() {
			got[i] = exchangeWait(addr, tc.req, max(tc.n, 1), tc.close)
			after[i] = exchange(addr, get("/healthz"), 1)
		})
	}
	wg.Wait()
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkHostile(t, tc, got[i])
			if a := after[i]; len(a.resps) != 1 || a.resps[0].StatusCode != 204 {
				t.Errorf("after the case, GET /healthz: %v %v", a.statuses(), a.err)
			}
		})
	}
	t.Logf("%d hostile cases", len(cases))
}

// checkHostile checks what came back for tc.
func checkHostile(t *testing.T, tc hostile, got exchanged) {
	t.Helper()
	want := max(tc.n, 1)
	if got.err != nil {
		t.Fatalf("%v (read so far: %s)", got.err, clip(got.raw))
	}
	if len(got.resps) == 0 {
		t.Fatalf("no answer; read %s", clip(got.raw))
	}
	if got.first > time.Second {
		t.Errorf("answered after %v: that is a timeout, not an answer", got.first)
	}
	r := got.resps[0]
	if r.StatusCode != tc.status {
		t.Errorf("status %d, want %d; body %s", r.StatusCode, tc.status, clip(got.bodies[0]))
	}
	if len(got.resps) != want {
		t.Errorf("%d final responses, want %d (statuses %v)", len(got.resps), want, got.statuses())
	}
	if got.closed != tc.close {
		t.Errorf("connection closed: %v, want %v", got.closed, tc.close)
	}
	if got.reset {
		t.Errorf("the connection ended with a reset, not a clean close")
	}
	if tc.detail != "" && !strings.Contains(problemDetail(got.bodies[0]), tc.detail) {
		t.Errorf("body %s, want it to contain %q", clip(got.bodies[0]), tc.detail)
	}
	if tc.not != "" && bytes.Contains(got.bodies[0], []byte(tc.not)) {
		t.Errorf("body holds %q: %s", tc.not, clip(got.bodies[0]))
	}
	if tc.no100 && got.saw100 {
		t.Errorf("a 100 Continue came before the answer")
	}
	if r.StatusCode >= 400 && r.StatusCode != 404 && r.StatusCode != 405 && r.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("Content-Type %q, want a problem", r.Header.Get("Content-Type"))
	}
	if tc.n > 1 {
		// In-order answers: the statuses the requests' routes give.
		for i, s := range got.statuses() {
			if want := pipelineWant(tc.name, i); want != 0 && s != want {
				t.Errorf("response %d: status %d, want %d", i, s, want)
			}
		}
	}
}

// problemDetail is the detail of a problem body, else the body itself.
func problemDetail(b []byte) string {
	var p problem
	if json.Unmarshal(b, &p) == nil && p.Detail != "" {
		return p.Detail
	}
	return string(b)
}

func pipelineWant(name string, i int) int {
	switch name {
	case "pipelined, in order":
		return []int{204, 404, 200}[i]
	case "pipelined, bad one ends it":
		return []int{204, 400}[i]
	case "chunk ext with control byte":
		return []int{422, 204}[i]
	}
	return 0
}

// exchanged is what came back on one connection.
type exchanged struct {
	resps  []*http.Response // final responses, in order
	bodies [][]byte
	saw100 bool
	closed bool          // the server closed the connection (EOF)
	reset  bool          // ... with a reset
	first  time.Duration // until the first final response was complete
	raw    []byte
	err    error
}

func (e exchanged) statuses() []int {
	var s []int
	for _, r := range e.resps {
		s = append(s, r.StatusCode)
	}
	return s
}

// exchange writes req on a new connection and reads what comes back until
// the server closes it, or until want final responses have come and
// nothing more follows for a moment.
func exchange(addr, req string, want int) exchanged { return exchangeWait(addr, req, want, false) }

// exchangeWait is exchange, told whether a close is expected: then it
// waits up to a second for it (the answer and the FIN may be apart on a
// busy machine); else 150 ms of quiet shows the connection stays open.
func exchangeWait(addr, req string, want int, close bool) exchanged {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return exchanged{err: err}
	}
	defer c.Close()
	go func() { _, _ = c.Write([]byte(req)) }() // the server may answer before reading it all
	var e exchanged
	start := time.Now()
	buf := make([]byte, 64<<10)
	c.SetReadDeadline(start.Add(2 * time.Second))
	for {
		n, err := c.Read(buf)
		e.raw = append(e.raw, buf[:n]...)
		e.parse()
		if len(e.resps) >= want && e.first == 0 {
			e.first = time.Since(start)
		}
		if len(e.resps) >= want {
			// Wait briefly: more would be a smuggled answer; EOF a close.
			quiet := 150 * time.Millisecond
			if close {
				quiet = time.Second
			}
			c.SetReadDeadline(time.Now().Add(quiet))
		}
		if err != nil {
			switch {
			case errors.Is(err, io.EOF):
				e.closed = true
			case errors.Is(err, syscall.ECONNRESET):
				e.closed, e.reset = true, true
			case isTimeout(err) && len(e.resps) >= want:
			default:
				e.err = err
			}
			return e
		}
	}
}

// parse reads the complete responses in raw.
func (e *exchanged) parse() {
	e.resps, e.bodies, e.saw100 = nil, nil, false
	br := bufio.NewReader(bytes.NewReader(e.raw))
	for {
		r, err := http.ReadResponse(br, nil)
		if err != nil {
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return // incomplete
		}
		if r.StatusCode == 100 {
			e.saw100 = true
			continue
		}
		e.resps, e.bodies = append(e.resps, r), append(e.bodies, body)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func clip(b []byte) string {
	if len(b) > 300 {
		return fmt.Sprintf("%q…(%d bytes)", b[:300], len(b))
	}
	return fmt.Sprintf("%q", b)
}

// TestHostileAnswerBeforeReset sends more than the server will read (a
// header block over the limit, a body over the limit), waits until the
// server has answered and closed, and only then reads: the answer must
// still be there, followed by a clean close. A plain close with unread
// input sends a TCP RST, which throws the answer away before the client
// reads it.
func TestHostileAnswerBeforeReset(t *testing.T) {
	addr, _ := hostileServer(t, limits{})
	cases := []struct {
		name   string
		req    string
		status int
	}{
		{"431", "GET /healthz HTTP/1.1\r\n" + host + "X-Big: " + strings.Repeat("b", 256<<10) + "\r\n\r\n", 431},
		{"413", createURL + fmt.Sprintf("Content-Length: %d\r\n\r\n%s", 512<<10, strings.Repeat("x", 512<<10)), 413},
		{"400 smuggling", createURL + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + strings.Repeat(smuggled, 2000), 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			go func() { _, _ = c.Write([]byte(tc.req)) }()
			time.Sleep(200 * time.Millisecond) // the server answers and closes meanwhile
			c.SetReadDeadline(time.Now().Add(3 * time.Second))
			b, err := io.ReadAll(c)
			if err != nil {
				t.Fatalf("after %q: %v (a reset: the answer was lost)", clip(b), err)
			}
			e := exchanged{raw: b}
			e.parse()
			if len(e.resps) != 1 || e.resps[0].StatusCode != tc.status {
				t.Fatalf("got %v from %s, want one %d", e.statuses(), clip(b), tc.status)
			}
		})
	}
}

// TestHostileSlowClients holds connections open the ways a slow or
// hostile client does, on a server with short timeouts, and checks that
// each is dropped within its timeout while other clients are served
// throughout.
func TestHostileSlowClients(t *testing.T) {
	const timeout = 300 * time.Millisecond
	addr, _ := hostileServer(t, limits{read: timeout, write: timeout, idle: timeout})
	// A well-behaved client, served all along.
	stop := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				if n == 0 {
					served <- errors.New("no request was served")
				} else {
					served <- nil
				}
				return
			default:
			}
			start := time.Now()
			got := exchange(addr, get("/healthz"), 1)
			if got.err != nil || len(got.resps) != 1 || got.resps[0].StatusCode != 204 || got.first > 250*time.Millisecond {
				served <- fmt.Errorf("GET /healthz while slow clients hold connections: %v %v after %v", got.statuses(), got.err, time.Since(start))
				return
			}
			n++
		}
	}()

	trickle := func(c net.Conn, head string, unit string) {
		c.Write([]byte(head))
		for {
			time.Sleep(50 * time.Millisecond)
			if _, err := c.Write([]byte(unit)); err != nil {
				return
			}
		}
	}
	cases := []struct {
		name string
		act  func(c net.Conn)
	}{
		{"silent", func(net.Conn) {}},
		{"slow headers", func(c net.Conn) { go trickle(c, "GET /healthz HTTP/1.1\r\n"+host, "X") }},
		{"slow body", func(c net.Conn) { go trickle(c, createURL+"Content-Length: 1000\r\n\r\n", "x") }},
		{"idle after a request", func(c net.Conn) { c.Write([]byte(get("/healthz"))) }},
	}
	var wg sync.WaitGroup
	for _, tc := range cases {
		wg.Go(func() {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			start := time.Now()
			tc.act(c)
			c.SetReadDeadline(time.Now().Add(3 * time.Second))
			got, err := io.ReadAll(c)
			elapsed := time.Since(start)
			if err != nil {
				t.Errorf("%s: not dropped cleanly: %v after %v", tc.name, err, elapsed)
				return
			}
			// A request cut off by the read timeout is answered 408; an
			// idle connection is closed with nothing more to say.
			e := exchanged{raw: got}
			e.parse()
			want := []int{408}
			if tc.name == "idle after a request" {
				want = []int{204}
			}
			if !slices.Equal(e.statuses(), want) {
				t.Errorf("%s: answers %v, want %v", tc.name, e.statuses(), want)
			}
			if limit := 2*timeout + 500*time.Millisecond; elapsed > limit {
				t.Errorf("%s: dropped after %v, want within %v", tc.name, elapsed, limit)
			}
			t.Logf("%s: dropped after %v", tc.name, elapsed.Round(time.Millisecond))
		})
	}
	wg.Wait()
	close(stop)
	if err := <-served; err != nil {
		t.Error(err)
	}
}

// TestHostileNonReadingClient pipelines requests for answers larger than
// the socket buffers and never reads: the server's writes stall, and the
// write timeout must drop the connection while others are served.
func TestHostileNonReadingClient(t *testing.T) {
	const timeout = 300 * time.Millisecond
	addr, closed := hostileServer(t, limits{write: timeout})
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) {
			_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
	}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var b strings.Builder
	for range 20000 {
		b.WriteString(get("/"))
	}
	go c.Write([]byte(b.String()))
	start := time.Now()
	for !closed.has(c.LocalAddr().String()) {
		if got := exchange(addr, get("/healthz"), 1); len(got.resps) != 1 || got.resps[0].StatusCode != 204 {
			t.Fatalf("GET /healthz meanwhile: %v %v", got.statuses(), got.err)
		}
		if time.Since(start) > 10*time.Second {
			t.Fatal("the server never dropped the client that does not read")
		}
	}
	elapsed := time.Since(start)
	if limit := timeout + 3*time.Second; elapsed > limit { // the buffers fill first
		t.Errorf("dropped after %v, want within %v", elapsed, limit)
	}
	t.Logf("not reading: dropped after %v", elapsed.Round(time.Millisecond))
}

// TestHostileHeaderSizeConfigurable shows the header limit is the
// server's to set: a 20 KiB header, 431 by default, passes a server whose
// header buffer is 32 KiB, which still answers 431 past its own size.
func TestHostileHeaderSizeConfigurable(t *testing.T) {
	addr, _ := hostileServer(t, limits{maxHeader: 32 << 10})
	req := func(n int) string {
		return "GET /healthz HTTP/1.1\r\n" + host + "X-Big: " + strings.Repeat("b", n) + "\r\n\r\n"
	}
	for _, tc := range []struct {
		size, status int
	}{{20 << 10, 204}, {40 << 10, 431}} {
		got := exchangeWait(addr, req(tc.size), 1, tc.status != 204)
		if len(got.resps) != 1 || got.resps[0].StatusCode != tc.status {
			t.Errorf("%d-byte header: %v %v, want %d", tc.size, got.statuses(), got.err, tc.status)
		}
	}
}

// TestHostileOversizedUploads is what a browser or an API client meets:
// net/http's client uploads a body far over the limit, writing it while
// the server has already answered 413 and closed. The client must get
// the 413, not "connection reset by peer".
func TestHostileOversizedUploads(t *testing.T) {
	addr, _ := hostileServer(t, limits{})
	hc := &http.Client{Timeout: 10 * time.Second}
	for _, size := range []int{1 << 20, 16 << 20, 64 << 20} {
		for range 3 {
			req, err := http.NewRequest("POST", "http://"+addr+"/api/v1/users", bytes.NewReader(make([]byte, size)))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+testToken)
			resp, err := hc.Do(req)
			if err != nil {
				t.Errorf("%d MiB upload: %v, want a 413", size>>20, err)
				continue
			}
			resp.Body.Close()
			if resp.StatusCode != 413 {
				t.Errorf("%d MiB upload: %d, want 413", size>>20, resp.StatusCode)
			}
		}
	}
}
