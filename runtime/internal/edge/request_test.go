package edge

import (
	"bufio"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

func TestBareLFHead(t *testing.T) {
	for in, want := range map[string]bool{
		"GET / HTTP/1.1\nHost: x\n\n":     true,
		"GET / HTTP/1.1\r\nHost: x\r\n\n": true,
		"GET / HTTP/1.1\r\nHost: x\n\r\n": true,
		"\r\nGET / HTTP/1.1\n\n":          true,
		"GET / HTTP/1.1\nHost: x\n":       false, // not ended yet
		"GET / HTTP/1.1\r\nHost: x\r\n":   false,
		"hello\n\nworld":                  false, // a body, not a request head
		"{\"a\": \"GET / HTTP/1.1\"}\n\n": false,
		"":                                false,
	} {
		if got := bareLFHead([]byte(in)); got != want {
			t.Errorf("bareLFHead(%q) = %v, want %v", in, got, want)
		}
	}
}

// parsed is a RequestCtx holding raw as fasthttp's server reads it.
func parsed(t testing.TB, raw string) *fasthttp.RequestCtx {
	t.Helper()
	var rc fasthttp.RequestCtx
	if err := rc.Request.Read(bufio.NewReaderSize(strings.NewReader(raw), 64<<10)); err != nil {
		t.Fatalf("reading %.60q: %v", raw, err)
	}
	return &rc
}

func TestCheckRequest(t *testing.T) {
	for raw, want := range map[string]int{
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n":                                                    0,
		"GET / HTTP/1.0\r\n\r\n":                                                               0,
		"GET / HTTP/1.2\r\nHost: x\r\n\r\n":                                                    0,
		"GET / HTTP/2.0\r\nHost: x\r\n\r\n":                                                    505,
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx":                             0,
		"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n":            0,
		"POST / HTTP/1.1\r\nHost: x\r\ntransfer-encoding: Chunked\r\n\r\n0\r\n\r\n":            0,
		"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n":                    501,
		"GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\n\r\n":                            0,
		"GET / HTTP/1.1\r\nHost: x\r\nExpect: nothing\r\n\r\n":                                 417,
		"GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\t2\r\n\r\n":                                   400,
		"GET /" + strings.Repeat("a", MaxRequestURISize) + " HTTP/1.1\r\nHost: x\r\n\r\n":      414,
		"GET / HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("A: b\r\n", MaxHeaderFields) + "\r\n": 431,
	} {
		rc := parsed(t, raw)
		err := CheckRequest(rc)
		got := 0
		if err != nil {
			got = err.(*Error).status
		}
		if got != want {
			t.Errorf("%.60q: %d (%v), want %d", raw, got, err, want)
		}
	}
}

func TestCheckPathEscapes(t *testing.T) {
	for uri, bad := range map[string]string{
		"/a/b":         "",
		"/a%20b":       "",
		"/a%2Fb%2f":    "",
		"/a?q=%zz":     "", // the query is not the path
		"/a%zz":        "%zz",
		"/a%4":         "%4",
		"/a%":          "%",
		"/a%4g/b":      "%4g",
		"/ok%41/x%g1y": "%g1",
	} {
		rc := parsed(t, "GET "+uri+" HTTP/1.1\r\nHost: x\r\n\r\n")
		err := CheckPathEscapes(rc)
		got := ""
		if err != nil {
			got = err.(*BadEscape).Escape()
		}
		if got != bad {
			t.Errorf("%q: %q (%v), want %q", uri, got, err, bad)
		}
	}
}

// TestEdgeAllocs checks that the edge's checks allocate nothing on an
// ordinary request, so the hot path stays allocation-free.
func TestEdgeAllocs(t *testing.T) {
	rc := parsed(t, "GET /users/42?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: test\r\nAccept: */*\r\nCookie: a=b\r\nContent-Length: 0\r\n\r\n")
	allocs := testing.AllocsPerRun(100, func() {
		if CheckRequest(rc) != nil || CheckPathEscapes(rc) != nil {
			t.Fatal("refused")
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per request", allocs)
	}
}

func BenchmarkEdgeChecks(b *testing.B) {
	rc := parsed(b, "GET /users/42?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nAccept: text/html,application/xhtml+xml\r\nAccept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\nCookie: session=abcdef0123456789\r\nConnection: keep-alive\r\n\r\n")
	b.ReportAllocs()
	for b.Loop() {
		_ = CheckRequest(rc)
		_ = CheckPathEscapes(rc)
	}
}

// TestTransferEncodingFieldLines: repeated Transfer-Encoding lines are one
// list (RFC 9110 §5.3): "gzip" then "chunked" is "gzip, chunked", which is
// not chunked alone. (fasthttp v1.79.0 refuses a second line itself, with
// 400, as it does Transfer-Encoding on HTTP/1.0; the edge does not depend
// on that.) In an HTTP/1.0 request, Transfer-Encoding means faulty framing
// (RFC 9112 §6.1): 400.
func TestTransferEncodingFieldLines(t *testing.T) {
	var f fields
	if err := f.scan([]byte("Host: x\r\nTransfer-Encoding: gzip\r\nX: y\r\ntransfer-encoding: chunked\r\n")); err != nil {
		t.Fatal(err)
	}
	if got := string(f.transferEncoding); got != "gzip, chunked" {
		t.Errorf("Transfer-Encoding %q, want \"gzip, chunked\"", got)
	}
	if err := f.check(false); err == nil || err.(*Error).status != 501 {
		t.Errorf("gzip then chunked: %v, want 501", err)
	}
	f = fields{}
	if err := f.scan([]byte("Transfer-Encoding: chunked\r\n")); err != nil {
		t.Fatal(err)
	}
	if err := f.check(false); err != nil {
		t.Errorf("chunked on HTTP/1.1: %v", err)
	}
	if err := f.check(true); err == nil || err.(*Error).status != 400 {
		t.Errorf("chunked on HTTP/1.0: %v, want 400", err)
	}
}
