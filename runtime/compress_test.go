package kk_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
)

// compressRouter serves /c/NAME from the handlers below, behind Compress.
func compressRouter(t *testing.T) string {
	text := strings.Repeat("the quick brown fox jumps over the lazy dog\n", 100) // 4400 bytes
	body := func(ct, s string) kk.Handler {
		return func(c *kk.Ctx) error {
			c.SetContentType(ct)
			c.SetBodyString(s)
			return nil
		}
	}
	handlers := map[string]kk.Handler{
		"text":    body("text/plain; charset=utf-8", text),
		"html":    body("text/html; charset=utf-8", text),
		"json":    func(c *kk.Ctx) error { return kk.JSON(c, strings.Split(text, " ")) },
		"problem": body("application/problem+json", text),
		"js":      body("application/javascript", text),
		"xml":     body("application/xml; charset=utf-8", text),
		"atom":    body("application/atom+xml", text),
		"svg":     body("image/svg+xml", text),
		"wasm":    body("application/wasm", text),
		"small":   body("text/plain; charset=utf-8", text[:CompressMin-1]),
		"edge":    body("text/plain; charset=utf-8", text[:CompressMin]),
		"png":     body("image/png", text),
		"octet":   body("application/octet-stream", text),
		"events":  body("text/event-stream", text),
		"encoded": func(c *kk.Ctx) error {
			c.Response.Header.Set("Content-Encoding", "gzip")
			return body("text/plain", text)(c)
		},
		"partial":   func(c *kk.Ctx) error { c.SetStatusCode(206); return body("text/plain", text)(c) },
		"nocontent": func(c *kk.Ctx) error { c.SetStatusCode(204); return nil },
		"stream": func(c *kk.Ctx) error {
			c.SetContentType("text/plain")
			c.Response.SetBodyStream(strings.NewReader(text), len(text))
			return nil
		},
		"strong": func(c *kk.Ctx) error { c.Response.Header.Set("ETag", `"v1"`); return body("text/plain", text)(c) },
		"weak":   func(c *kk.Ctx) error { c.Response.Header.Set("ETag", `W/"v1"`); return body("text/plain", text)(c) },
		"vary":   func(c *kk.Ctx) error { c.Response.Header.Set("Vary", "Origin"); return body("text/plain", text)(c) },
		"varyae": func(c *kk.Ctx) error {
			c.Response.Header.Set("Vary", "accept-encoding")
			return body("text/plain", text)(c)
		},
		"random": body("text/plain", randomText(4096)),
		"error":  func(c *kk.Ctx) error { return kk.Error(400, text) },
		"upgrade": func(c *kk.Ctx) error { // as fasthttp/websocket's upgrader does
			c.SetStatusCode(101)
			c.Response.Header.Set("Upgrade", "test")
			c.Response.Header.Set("Connection", "Upgrade")
			c.SetContentType("text/plain")
			c.SetBodyString(text)
			c.Hijack(func(conn net.Conn) { // the server keeps hijacked conns open: close it
				_, _ = conn.Write([]byte("raw bytes"))
				_ = conn.Close()
			})
			return nil
		},
		"hijack": func(c *kk.Ctx) error { // the handler writes the whole answer itself
			c.SetContentType("text/plain")
			c.SetBodyString(text)
			c.HijackSetNoResponse(true)
			c.Hijack(func(conn net.Conn) {
				_, _ = conn.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\nraw bytes"))
				_ = conn.Close()
			})
			return nil
		},
	}
	dispatch := func(c *kk.Ctx) error {
		h := handlers[c.Param("name")]
		if h == nil {
			return kk.Error(404, "no such case")
		}
		return h(c)
	}
	r := kk.New(kk.Table{
		Routes:  []kk.Route{{Method: "GET", Pattern: "/c/:name", Name: "c", Params: []string{"name"}, Handler: dispatch}},
		Methods: []string{"GET"},
		Match: func(method string, p []byte, ps *kk.Params) int {
			if (method == "GET") && bytes.HasPrefix(p, []byte("/c/")) {
				ps[0] = p[3:]
				return 0
			}
			return -1
		},
	})
	r.Use(kk.Compress())
	return serveOn(t, r)
}

// CompressMin mirrors kk.CompressMinSize, so a change of it shows here.
const CompressMin = kk.CompressMinSize

func randomText(n int) string {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return string(b)
}

// decode undoes a Content-Encoding with fasthttp's decoders.
func decode(t *testing.T, enc string, b []byte) []byte {
	t.Helper()
	var out []byte
	var err error
	switch enc {
	case "":
		return b
	case "br":
		out, err = fasthttp.AppendUnbrotliBytes(nil, b)
	case "zstd":
		out, err = fasthttp.AppendUnzstdBytes(nil, b)
	case "gzip":
		out, err = fasthttp.AppendGunzipBytes(nil, b)
	default:
		t.Fatalf("unexpected Content-Encoding %q", enc)
	}
	if err != nil {
		t.Fatalf("decoding %s: %v", enc, err)
	}
	return out
}

func TestCompressNegotiation(t *testing.T) {
	base := "http://" + compressRouter(t)
	want := strings.Repeat("the quick brown fox jumps over the lazy dog\n", 100)
	for _, tc := range []struct {
		accept, encoding string
	}{
		{"br", "br"},
		{"zstd", "zstd"},
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"gzip, deflate, br, zstd", "br"}, // all q=1: br, zstd, gzip
		{"gzip, zstd", "zstd"},
		{"zstd, gzip", "zstd"},
		{"gzip;q=1.0, br;q=0.5", "gzip"},
		{"br;q=0.2, zstd;q=0.3, gzip;q=0.1", "zstd"},
		{"br;q=0", ""},
		{"br;q=0, gzip;q=0.001", "gzip"},
		{"*", "br"},
		{"*;q=0.5, br;q=0", "zstd"},
		{"*;q=0", ""},
		{"identity", ""},
		{"identity;q=0", ""}, // identity is always acceptable: kk sends it rather than nothing
		{"deflate", ""},
		{"BR", "br"},
		{"gzip ; q=0.8 , br ; q=0.9", "br"},
		{"br;q=2", ""},     // not a qvalue: ignored
		{"br;q=0.5.5", ""}, // nor this
	} {
		resp, body := do(t, "GET", base+"/c/text", "Accept-Encoding: "+tc.accept)
		enc := resp.Header.Get("Content-Encoding")
		if resp.StatusCode != 200 || enc != tc.encoding {
			t.Errorf("Accept-Encoding %q = %d %q; want %q", tc.accept, resp.StatusCode, enc, tc.encoding)
			continue
		}
		if got := decode(t, enc, body); string(got) != want {
			t.Errorf("Accept-Encoding %q: body decodes to %d bytes; want the %d sent", tc.accept, len(got), len(want))
		}
		if resp.ContentLength != int64(len(body)) {
			t.Errorf("Accept-Encoding %q: Content-Length %d for %d bytes", tc.accept, resp.ContentLength, len(body))
		}
		if resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q", tc.accept, resp.Header.Get("Vary"))
		}
	}
	// No Accept-Encoding: identity. Repeated lines are one list (RFC 9110
	// §5.3): the client's preference is read across them.
	addr := strings.TrimPrefix(base, "http://")
	for _, tc := range []struct{ lines, encoding string }{
		{"", ""},
		{"Accept-Encoding: \r\nAccept-Encoding: gzip\r\n", "gzip"},
		{"Accept-Encoding: gzip;q=0.5\r\nAccept-Encoding: br\r\n", "br"},
		{"Accept-Encoding: br;q=0\r\nAccept-Encoding: zstd\r\n", "zstd"},
	} {
		resp, body := rawHeaders(t, addr, "GET", "/c/text", tc.lines)
		if enc := resp.Header.Get("Content-Encoding"); enc != tc.encoding || string(decode(t, enc, body)) != want {
			t.Errorf("%q: Content-Encoding %q; want %q", tc.lines, enc, tc.encoding)
		}
	}
}

// rawHeaders sends one request with the given header lines (each ending
// in CRLF) exactly as written, on a fresh connection.
func rawHeaders(t *testing.T, addr, method, target, lines string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: kk\r\n%sConnection: close\r\n\r\n", method, target, lines); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestCompressWhat(t *testing.T) {
	base := "http://" + compressRouter(t)
	for _, tc := range []struct {
		name     string
		encoding string // with Accept-Encoding: br
		vary     string
	}{
		{"text", "br", "Accept-Encoding"},
		{"html", "br", "Accept-Encoding"},
		{"json", "br", "Accept-Encoding"},
		{"problem", "br", "Accept-Encoding"},
		{"js", "br", "Accept-Encoding"},
		{"xml", "br", "Accept-Encoding"},
		{"atom", "br", "Accept-Encoding"},
		{"svg", "br", "Accept-Encoding"},
		{"wasm", "br", "Accept-Encoding"},
		{"edge", "br", "Accept-Encoding"}, // exactly the minimum
		{"small", "", ""},                 // below it
		{"png", "", ""},
		{"octet", "", ""},
		{"events", "", ""},
		{"encoded", "gzip", ""}, // the handler's own encoding, untouched
		{"stream", "", ""},
		{"random", "", "Accept-Encoding"}, // tried, but not smaller: sent as is
		{"vary", "br", "Origin, Accept-Encoding"},
		{"varyae", "br", "accept-encoding"},
	} {
		resp, body := do(t, "GET", base+"/c/"+tc.name, "Accept-Encoding: br")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != tc.encoding || resp.Header.Get("Vary") != tc.vary {
			t.Errorf("%s: %d Content-Encoding %q Vary %q; want %q %q", tc.name, resp.StatusCode,
				resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"), tc.encoding, tc.vary)
		}
		if tc.encoding == "br" && resp.ContentLength != int64(len(body)) {
			t.Errorf("%s: Content-Length %d for %d bytes", tc.name, resp.ContentLength, len(body))
		}
	}
	for _, name := range []string{"partial", "nocontent", "error"} {
		resp, _ := do(t, "GET", base+"/c/"+name, "Accept-Encoding: br")
		if resp.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s (%d) compressed", name, resp.StatusCode)
		}
	}
	// ETags: a strong one is suffixed, a weak one kept.
	if resp, _ := do(t, "GET", base+"/c/strong", "Accept-Encoding: gzip"); resp.Header.Get("ETag") != `"v1-gzip"` {
		t.Errorf("strong ETag on gzip = %s; want \"v1-gzip\"", resp.Header.Get("ETag"))
	}
	if resp, _ := do(t, "GET", base+"/c/strong", "Accept-Encoding: identity"); resp.Header.Get("ETag") != `"v1"` {
		t.Errorf("strong ETag uncompressed = %s; want \"v1\"", resp.Header.Get("ETag"))
	}
	if resp, _ := do(t, "GET", base+"/c/weak", "Accept-Encoding: br"); resp.Header.Get("ETag") != `W/"v1"` {
		t.Errorf("weak ETag on br = %s; want W/\"v1\"", resp.Header.Get("ETag"))
	}
	// HEAD answers with the headers GET would (RFC 9110 §9.3.2), and no body.
	for _, path := range []string{"/c/text", "/c/strong", "/c/weak"} {
		for _, ae := range []string{"br", "gzip", "zstd", "gzip;q=0.5, br;q=0.1", "identity"} {
			get, body := do(t, "GET", base+path, "Accept-Encoding: "+ae)
			head, hbody := do(t, "HEAD", base+path, "Accept-Encoding: "+ae)
			if len(hbody) != 0 || head.ContentLength != int64(len(body)) {
				t.Errorf("HEAD %s %s: Content-Length %d, body %d bytes; GET sent %d", path, ae, head.ContentLength, len(hbody), len(body))
			}
			for _, h := range []string{"Content-Encoding", "Content-Type", "Vary", "ETag", "Content-Length"} {
				if g, hd := get.Header.Get(h), head.Header.Get(h); g != hd {
					t.Errorf("%s %s: %s on GET %q, on HEAD %q", path, ae, h, g, hd)
				}
			}
		}
	}
}

// TestCompressHijacked: a connection taken over by the handler (as a
// WebSocket upgrade does) gets exactly the bytes the handler writes.
func TestCompressHijacked(t *testing.T) {
	addr := compressRouter(t)
	for _, name := range []string{"upgrade", "hijack"} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(conn, "GET /c/%s HTTP/1.1\r\nHost: kk\r\nAccept-Encoding: br\r\n\r\n", name)
		var all bytes.Buffer
		// The hijack handler closes the connection after its bytes, so
		// reading to EOF ends there; the deadline only guards a hang.
		if _, err := all.ReadFrom(conn); err != nil {
			t.Errorf("%s: reading to EOF: %v (the handler's close never arrived)", name, err)
		}
		conn.Close()
		got := all.String()
		if !strings.HasPrefix(got, "HTTP/1.1 101") || !strings.HasSuffix(got, "\r\n\r\nraw bytes") || strings.Contains(got, "Content-Encoding") {
			t.Errorf("%s: the connection carried %q; want a 101, no Content-Encoding, then the raw bytes", name, got)
		}
	}
}
