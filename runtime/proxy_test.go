package kk_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// whoRouter answers GET /hello with the client's IP and scheme as kk
// works them out, and GET /items/:id with redirects.
func whoRouter() *kk.Router {
	return kk.New(table(map[string]kk.Handler{
		"Hello": func(c *kk.Ctx) error {
			ip := "none"
			if a := c.ClientIP(); a.IsValid() {
				ip = a.String()
			}
			return kk.Text(c, "ip="+ip+" scheme="+c.Scheme())
		},
		"GetItem": func(c *kk.Ctx) error {
			switch to := c.Param("id"); to {
			case "abs":
				return kk.Redirect(c, "/hello", 301)
			case "rel":
				return kk.Redirect(c, "edit?x=1", 303)
			case "up":
				return kk.Redirect(c, "../hello", 302)
			case "other":
				return kk.Redirect(c, "https://other.example/x", 308)
			default:
				return kk.Redirect(c, "//cdn.example/y", 307)
			}
		},
	}))
}

func prefixes(ps ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ps))
	for i, p := range ps {
		out[i] = netip.MustParsePrefix(p)
	}
	return out
}

// TestClientIPAndScheme sends forwarding headers to two servers on
// loopback: one that trusts loopback and 10.0.0.0/8 (the proxies), one
// that trusts only 10.0.0.0/8, so that its loopback peer is a client
// whose headers are made up.
func TestClientIPAndScheme(t *testing.T) {
	behind := &kk.Server{Listener: loopback(t), Router: whoRouter(), TrustedProxies: prefixes("127.0.0.0/8", "10.0.0.0/8")}
	direct := &kk.Server{Listener: loopback(t), Router: whoRouter(), TrustedProxies: prefixes("10.0.0.0/8")}
	plain := &kk.Server{Listener: loopback(t), Router: whoRouter()}
	startRun(t, behind, direct, plain)
	hc := &http.Client{Timeout: 10 * time.Second}
	defer hc.CloseIdleConnections()

	for _, tc := range []struct {
		name    string
		header  [][2]string
		behind  string // the answer of the server behind trusted proxies
		spoofed string // the answer of the others
	}{
		{"no headers", nil, "ip=127.0.0.1 scheme=http", "ip=127.0.0.1 scheme=http"},
		{"X-Forwarded-For one hop", [][2]string{{"X-Forwarded-For", "203.0.113.7"}, {"X-Forwarded-Proto", "https"}},
			"ip=203.0.113.7 scheme=https", "ip=127.0.0.1 scheme=http"},
		{"X-Forwarded-For past a trusted inner proxy", [][2]string{{"X-Forwarded-For", "203.0.113.7, 10.1.2.3"}},
			"ip=203.0.113.7 scheme=http", "ip=127.0.0.1 scheme=http"},
		{"a spoofed leftmost entry is not believed", [][2]string{{"X-Forwarded-For", "1.2.3.4, 203.0.113.7"}},
			"ip=203.0.113.7 scheme=http", "ip=127.0.0.1 scheme=http"},
		{"X-Forwarded-For over two header lines", [][2]string{{"X-Forwarded-For", "1.2.3.4"}, {"X-Forwarded-For", "198.51.100.2, 10.0.0.9"}},
			"ip=198.51.100.2 scheme=http", "ip=127.0.0.1 scheme=http"},
		{"every hop trusted: the leftmost", [][2]string{{"X-Forwarded-For", "10.9.9.9, 10.0.0.1"}},
			"ip=10.9.9.9 scheme=http", "ip=127.0.0.1 scheme=http"},
		{"IPv6 in X-Forwarded-For", [][2]string{{"X-Forwarded-For", "2001:db8::1"}},
			"ip=2001:db8::1 scheme=http", "ip=127.0.0.1 scheme=http"},
		{"garbage", [][2]string{{"X-Forwarded-For", "not-an-ip"}}, "ip=none scheme=http", "ip=127.0.0.1 scheme=http"},
		{"rightmost X-Forwarded-Proto", [][2]string{{"X-Forwarded-Proto", "http, https"}}, "ip=127.0.0.1 scheme=https", "ip=127.0.0.1 scheme=http"},
		{"an odd proto is ignored", [][2]string{{"X-Forwarded-Proto", "gopher"}}, "ip=127.0.0.1 scheme=http", "ip=127.0.0.1 scheme=http"},
		{"Forwarded (RFC 7239 section 7.4)", [][2]string{{"Forwarded", `for=192.0.2.43;proto=https, for="[2001:db8:cafe::17]:4711";proto=http`}},
			"ip=2001:db8:cafe::17 scheme=http", "ip=127.0.0.1 scheme=http"},
		{"Forwarded past a trusted proxy", [][2]string{{"Forwarded", `for=192.0.2.43:5000;proto=https;by=10.0.0.1, for=10.0.0.1`}},
			"ip=192.0.2.43 scheme=https", "ip=127.0.0.1 scheme=http"},
		{"Forwarded quoted, mixed case, with a comma inside quotes", [][2]string{{"Forwarded", `For="192.0.2.8";Proto=HTTPS;host="a,b"`}},
			"ip=192.0.2.8 scheme=https", "ip=127.0.0.1 scheme=http"},
		{"Forwarded is preferred to X-Forwarded-For", [][2]string{{"Forwarded", "for=192.0.2.9"}, {"X-Forwarded-For", "198.51.100.1"}},
			"ip=192.0.2.9 scheme=http", "ip=127.0.0.1 scheme=http"},
		{"Forwarded unknown", [][2]string{{"Forwarded", "for=unknown"}}, "ip=none scheme=http", "ip=127.0.0.1 scheme=http"},
		{"Forwarded obfuscated", [][2]string{{"Forwarded", "for=_hidden;proto=https"}}, "ip=none scheme=https", "ip=127.0.0.1 scheme=http"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range []*kk.Server{behind, direct, plain} {
				req, _ := http.NewRequest("GET", url(s, "/hello"), nil)
				for _, h := range tc.header {
					req.Header.Add(h[0], h[1])
				}
				resp, err := hc.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				want := tc.spoofed
				if s == behind {
					want = tc.behind
				}
				if string(b) != want {
					t.Errorf("server trusting %v: %q, want %q", s.TrustedProxies, b, want)
				}
			}
		})
	}
}

// TestRedirectBehindProxy: the Location of kk.Redirect names no scheme or
// host, so a client that reached the server through a TLS-terminating
// proxy stays on https and the public name.
func TestRedirectBehindProxy(t *testing.T) {
	s := &kk.Server{Listener: loopback(t), Router: whoRouter(), TrustedProxies: prefixes("127.0.0.0/8")}
	startRun(t, s)
	hc := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer hc.CloseIdleConnections()
	for _, tc := range []struct {
		path, location string
		status         int
	}{
		{"/items/abs", "/hello", 301},
		{"/items/rel", "/items/edit?x=1", 303},
		{"/items/up", "/hello", 302},
		{"/items/other", "https://other.example/x", 308},
		{"/items/cdn", "//cdn.example/y", 307},
	} {
		req, _ := http.NewRequest("GET", url(s, tc.path), nil)
		req.Header.Set("X-Forwarded-Proto", "https")
		req.Host = "public.example"
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Location") != tc.location {
			t.Errorf("%s: %d Location %q, want %d %q", tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.status, tc.location)
		}
	}
}

// TestAccessLogClientIPAndPanic: every access-log line carries the client
// IP, the request ID and the route, a panicking request's too (written as
// the panic passes through AccessLog, so before the router's line), and
// the router's panic line carries the request ID and client IP.
func TestAccessLogClientIPAndPanic(t *testing.T) {
	var logs logBuffer
	r := kk.New(table(map[string]kk.Handler{"Fail": func(*kk.Ctx) error { panic("boom") }}))
	r.SetLogger(logs.logger())
	r.Use(kk.RequestID(), kk.AccessLog(logs.logger()))
	s := &kk.Server{Listener: loopback(t), Router: r, TrustedProxies: prefixes("127.0.0.0/8"), Logger: discard()}
	startRun(t, s)
	hc := &http.Client{Timeout: 10 * time.Second}
	defer hc.CloseIdleConnections()
	for _, path := range []string{"/items/7", "/fail"} {
		req, _ := http.NewRequest("GET", url(s, path), nil)
		req.Header.Set("X-Forwarded-For", "198.51.100.23")
		req.Header.Set(kk.RequestIDHeader, "req-"+path[1:3])
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	var lines []string
	for l := range strings.Lines(logs.String()) {
		lines = append(lines, l)
	}
	want := []string{
		`msg=request method=GET path=/items/7 route=/items/:id handler=GetItem status=204`,
		`msg=request method=GET path=/fail route=/fail handler=Fail status=500`,
		`msg="kk: handler panic" method=GET path=/fail route=/fail request_id=req-fa client_ip=198.51.100.23 panic=boom`,
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), logs.String())
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d lacks %q:\n%s", i, w, lines[i])
		}
	}
	for i, id := range []string{"req-it", "req-fa", ""} {
		if id != "" && (!strings.Contains(lines[i], "client_ip=198.51.100.23") || !strings.Contains(lines[i], "request_id="+id)) {
			t.Errorf("line %d lacks the client IP or request ID %s:\n%s", i, id, lines[i])
		}
	}
}

// TestEdgeRefusalSeesTheServer: a request the edge refuses for a
// malformed escape in its path (400) is served like any other request on
// its server: router middleware sees the client a trusted proxy
// forwarded, and the scheme it gave, not the proxy's.
func TestEdgeRefusalSeesTheServer(t *testing.T) {
	r := whoRouter()
	seen := make(chan string, 1)
	r.Use(func(next kk.Handler) kk.Handler {
		return func(c *kk.Ctx) error {
			err := next(c)
			seen <- c.ClientIP().String() + " " + c.Scheme()
			return err
		}
	})
	s := &kk.Server{Listener: loopback(t), Router: r, TrustedProxies: prefixes("127.0.0.0/8")}
	startRun(t, s)
	conn, err := net.Dial("tcp", s.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /items/%zz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "HTTP/1.1 400") {
		t.Fatalf("status line %q, %v; want 400", line, err)
	}
	if got, want := <-seen, "203.0.113.7 https"; got != want {
		t.Errorf("middleware saw client %q, want %q", got, want)
	}
}
