package kk_test

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

//go:embed testdata/static
var testStatic embed.FS

// staticRouter serves h as GET /files/*path, the route kkgen generates for
// //kk:static /files, beside GET /files/special and POST /files/*path.
func staticRouter(h kk.Handler, mws ...kk.Middleware) *kk.Router {
	r := kk.New(kk.Table{
		Routes: []kk.Route{
			{Method: "GET", Pattern: "/files/*path", Name: "files", Params: []string{"path"}, Handler: h},
		},
		Methods: []string{"GET"},
		Match: func(method string, p []byte, ps *kk.Params) int {
			if method == "GET" && bytes.HasPrefix(p, []byte("/files/")) {
				ps[0] = p[len("/files/"):]
				return 0
			}
			return -1
		},
	})
	r.Use(mws...)
	return r
}

// serveOn serves r on a loopback port until the test ends and returns the
// address.
func serveOn(t *testing.T, r *kk.Router) string {
	t.Helper()
	return strings.TrimPrefix(kktest.NewTCPServer(t, r).URL, "http://")
}

// do sends one request through net/http's transport with "Key: value"
// headers. Accept-Encoding is always sent (identity unless given), so the
// transport neither asks for gzip nor decodes.
func do(t *testing.T, method, url string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "identity")
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// raw sends target exactly as given on a fresh connection, for paths a
// client library would clean up first.
func raw(t *testing.T, addr, target string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: kk\r\nConnection: close\r\n\r\n", target); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// diskRoot makes root/ with some files and, beside it, a secret the server
// must never send.
func diskRoot(t *testing.T) (dir, root string) {
	t.Helper()
	dir = t.TempDir()
	root = filepath.Join(dir, "root")
	files := map[string]string{
		"secret.txt":           "TOP SECRET",
		"root/ok.txt":          "ok",
		"root/sub/a.txt":       "in sub",
		"root/sub/index.html":  "<p>sub index</p>",
		"root/.git/config":     "TOP SECRET dotdir",
		"root/.env":            "TOP SECRET dotfile",
		"root/nested/.x/y.txt": "TOP SECRET hidden dir",
		"root/empty/none.txt":  "no index here",
		"root/ranges.txt":      "0123456789abcdefghij",
		"root/app.js":          strings.Repeat("let x = 1;\n", 200),
		"root/app.js.br":       "BROTLI BYTES",
		"root/app.js.zst":      "ZSTD BYTES",
		"root/app.js.gz":       "GZIP BYTES",
		"root/style.css":       "body{}",
		"root/pic.png":         "\x89PNG",
		"root/font.woff2":      "wOF2",
		"root/data.json":       "{}",
		"root/noext":           "x",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, root
}

// TestStaticTraversal sends every encoding of a way out of the root that
// the contract lists, on raw sockets: none may answer with a file outside
// the root (or a hidden one), whatever status it chooses.
func TestStaticTraversal(t *testing.T) {
	_, root := diskRoot(t)
	addr := serveOn(t, staticRouter(kk.Static(os.DirFS(root), "")))
	// Controls: the table is not vacuous; ordinary encoded names work.
	for target, want := range map[string]string{
		"/files/ok.txt":        "ok",
		"/files/%6fk.txt":      "ok",
		"/files/sub/a.txt":     "in sub",
		"/files/sub/%61.txt":   "in sub",
		"/files/sub/../ok.txt": "ok", // cleaned inside the root: still fine
	} {
		if resp, body := raw(t, addr, target); resp.StatusCode != 200 || string(body) != want {
			t.Errorf("control GET %s = %d %q; want 200 %q", target, resp.StatusCode, body, want)
		}
	}
	for _, target := range []string{
		"/files/../secret.txt",
		"/files/..%2fsecret.txt",
		"/files/..%2Fsecret.txt",
		"/files/%2e%2e/secret.txt",
		"/files/%2E%2E/secret.txt",
		"/files/%2e%2e%2fsecret.txt",
		"/files/.%2e/secret.txt",
		"/files/sub/../../secret.txt",
		"/files/sub/%2e%2e/%2e%2e/secret.txt",
		"/files/sub%2f..%2f..%2fsecret.txt",
		"/files/..%5csecret.txt",
		"/files/%5c..%5csecret.txt",
		"/files/sub%5c..%5c..%5csecret.txt",
		`/files/..\secret.txt`,
		"/files/%252e%252e/secret.txt",         // double encoding
		"/files/%252e%252e%252fsecret.txt",     // double encoding
		"/files/..%252fsecret.txt",             // double encoding
		"/files/%25%32%65%25%32%65/secret.txt", // double encoding, every byte
		"/files/%c0%ae%c0%ae/secret.txt",       // overlong UTF-8 "."
		"/files/%c0%ae%c0%ae%c0%afsecret.txt",  // overlong "." and "/"
		"/files/%e0%80%ae%e0%80%ae/secret.txt",
		"/files/%c0%2e%c0%2e/secret.txt",
		"/files/ok.txt%00",        // NUL
		"/files/%00../secret.txt", // NUL
		"/files/..%00/secret.txt",
		"/files//secret.txt",
		"/files/%2fsecret.txt",
		"/files/%2f%2e%2e%2fsecret.txt",
		"/files/.git/config",
		"/files/%2egit/config",
		"/files/.env",
		"/files/%2eenv",
		"/files/nested/.x/y.txt",
		"/files/nested/%2ex/y.txt",
		"/files/sub/.%2e/.%2e/secret.txt",
		"/files/%2561%252e%252e/secret.txt", // the %2561 ServeFile bypass shape
	} {
		resp, body := raw(t, addr, target)
		if resp.StatusCode == 200 || bytes.Contains(body, []byte("TOP SECRET")) {
			t.Errorf("GET %s = %d %q: a file outside the root or a hidden one was served", target, resp.StatusCode, body)
		}
		if resp.StatusCode != 404 && resp.StatusCode != 400 {
			t.Errorf("GET %s = %d; want 404 (or 400 from the parser)", target, resp.StatusCode)
		}
	}
}

func TestStaticFiles(t *testing.T) {
	_, root := diskRoot(t)
	disk := "http://" + serveOn(t, staticRouter(kk.Static(os.DirFS(root), "")))
	emb := "http://" + serveOn(t, staticRouter(kk.Static(testStatic, "testdata/static")))
	for _, tc := range []struct {
		url    string
		status int
		ctype  string
		body   string
	}{
		{disk + "/files/ok.txt", 200, "text/plain; charset=utf-8", "ok"},
		{disk + "/files/sub/", 200, "text/html; charset=utf-8", "<p>sub index</p>"},
		{disk + "/files/sub", 200, "text/html; charset=utf-8", "<p>sub index</p>"},
		{disk + "/files/", 404, "", ""},       // no index.html at the root: no listing
		{disk + "/files/empty/", 404, "", ""}, // nor in a directory
		{disk + "/files/ok.txt/", 404, "", ""},
		{disk + "/files/missing", 404, "", ""},
		{disk + "/files/style.css", 200, "text/css; charset=utf-8", "body{}"},
		{disk + "/files/pic.png", 200, "image/png", "\x89PNG"},
		{disk + "/files/font.woff2", 200, "font/woff2", "wOF2"},
		{disk + "/files/data.json", 200, "application/json", "{}"},
		{disk + "/files/noext", 200, "application/octet-stream", "x"},
		{emb + "/files/", 200, "text/html; charset=utf-8", "<h1>embedded</h1>\n"},
		{emb + "/files/hello.txt", 200, "text/plain; charset=utf-8", "embedded hello\n"},
		{emb + "/files/sub/a.txt", 200, "text/plain; charset=utf-8", "sub file\n"},
		{emb + "/files/sub/", 404, "", ""},
		{emb + "/files/missing.txt", 404, "", ""},
	} {
		resp, body := do(t, "GET", tc.url)
		if resp.StatusCode != tc.status {
			t.Errorf("GET %s = %d %q; want %d", tc.url, resp.StatusCode, body, tc.status)
			continue
		}
		if tc.status == 200 && (string(body) != tc.body || resp.Header.Get("Content-Type") != tc.ctype) {
			t.Errorf("GET %s = %q %s; want %q %s", tc.url, body, resp.Header.Get("Content-Type"), tc.body, tc.ctype)
		}
		if tc.status == 200 && (resp.Header.Get("Vary") != "Accept-Encoding" || resp.Header.Get("Accept-Ranges") != "bytes") {
			t.Errorf("GET %s: Vary %q Accept-Ranges %q", tc.url, resp.Header.Get("Vary"), resp.Header.Get("Accept-Ranges"))
		}
	}
	// An embed.FS has no modification times: no Last-Modified. A disk file has.
	if resp, _ := do(t, "GET", emb+"/files/hello.txt"); resp.Header.Get("Last-Modified") != "" {
		t.Errorf("embed.FS Last-Modified = %q; want none", resp.Header.Get("Last-Modified"))
	}
	if resp, _ := do(t, "GET", disk+"/files/ok.txt"); resp.Header.Get("Last-Modified") == "" {
		t.Error("os.DirFS: no Last-Modified")
	}
}

func TestStaticETag(t *testing.T) {
	dir, root := diskRoot(t)
	_ = dir
	disk := "http://" + serveOn(t, staticRouter(kk.Static(os.DirFS(root), "")))
	emb := "http://" + serveOn(t, staticRouter(kk.Static(testStatic, "testdata/static")))
	for _, url := range []string{disk + "/files/ok.txt", emb + "/files/hello.txt"} {
		resp, _ := do(t, "GET", url)
		tag := resp.Header.Get("ETag")
		if len(tag) < 3 || tag[0] != '"' || tag[len(tag)-1] != '"' {
			t.Fatalf("GET %s: ETag %q is not a strong entity tag", url, tag)
		}
		if again, _ := do(t, "GET", url); again.Header.Get("ETag") != tag {
			t.Errorf("GET %s: ETag changed from %s to %s", url, tag, again.Header.Get("ETag"))
		}
		for _, tc := range []struct {
			inm    string
			status int
		}{
			{tag, 304},
			{"W/" + tag, 304}, // If-None-Match compares weakly
			{`"other", ` + tag, 304},
			{"*", 304},
			{`"other"`, 200},
			{strings.TrimSuffix(tag, `"`) + `-gzip"`, 200}, // a tag of a representation not sent here
		} {
			resp, body := do(t, "GET", url, "If-None-Match: "+tc.inm)
			if resp.StatusCode != tc.status {
				t.Errorf("GET %s If-None-Match %s = %d; want %d", url, tc.inm, resp.StatusCode, tc.status)
			}
			if tc.status == 304 && (len(body) != 0 || resp.Header.Get("ETag") == "") {
				t.Errorf("GET %s If-None-Match %s: 304 with body %q ETag %q", url, tc.inm, body, resp.Header.Get("ETag"))
			}
		}
		// If-None-Match wins over If-Modified-Since.
		if resp, _ := do(t, "GET", url, `If-None-Match: "other"`, "If-Modified-Since: "+time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)); resp.StatusCode != 200 {
			t.Errorf("GET %s: If-None-Match mismatch with a future If-Modified-Since = %d; want 200", url, resp.StatusCode)
		}
	}
	// A changed file on disk gets a new tag at once.
	resp, _ := do(t, "GET", disk+"/files/ok.txt")
	old := resp.Header.Get("ETag")
	if err := os.WriteFile(filepath.Join(root, "ok.txt"), []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	resp, body := do(t, "GET", disk+"/files/ok.txt", "If-None-Match: "+old)
	if resp.StatusCode != 200 || string(body) != "changed" || resp.Header.Get("ETag") == old {
		t.Errorf("after a change: %d %q ETag %s (old %s); want 200 \"changed\" and a new tag", resp.StatusCode, body, resp.Header.Get("ETag"), old)
	}
	// If-Modified-Since.
	lm := resp.Header.Get("Last-Modified")
	if resp, _ := do(t, "GET", disk+"/files/ok.txt", "If-Modified-Since: "+lm); resp.StatusCode != 304 {
		t.Errorf("If-Modified-Since %s = %d; want 304", lm, resp.StatusCode)
	}
	if resp, _ := do(t, "GET", disk+"/files/ok.txt", "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT"); resp.StatusCode != 200 {
		t.Errorf("If-Modified-Since 2000 = %d; want 200", resp.StatusCode)
	}
	if resp, _ := do(t, "GET", disk+"/files/ok.txt", "If-Modified-Since: not a date"); resp.StatusCode != 200 {
		t.Errorf("If-Modified-Since garbage = %d; want 200", resp.StatusCode)
	}
}

func TestStaticRange(t *testing.T) {
	_, root := diskRoot(t)
	base := "http://" + serveOn(t, staticRouter(kk.Static(os.DirFS(root), "")))
	url := base + "/files/ranges.txt" // "0123456789abcdefghij", 20 bytes
	resp, _ := do(t, "GET", url)
	tag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	for _, tc := range []struct {
		headers      []string
		status       int
		body, crange string
	}{
		{[]string{"Range: bytes=0-4"}, 206, "01234", "bytes 0-4/20"},
		{[]string{"Range: bytes=10-"}, 206, "abcdefghij", "bytes 10-19/20"},
		{[]string{"Range: bytes=-3"}, 206, "hij", "bytes 17-19/20"},
		{[]string{"Range: bytes=15-100"}, 206, "fghij", "bytes 15-19/20"},
		{[]string{"Range: bytes=-100"}, 206, "0123456789abcdefghij", "bytes 0-19/20"},
		{[]string{"Range: bytes=19-19"}, 206, "j", "bytes 19-19/20"},
		{[]string{"Range: bytes=20-"}, 416, "", "bytes */20"},
		{[]string{"Range: bytes=-0"}, 416, "", "bytes */20"},
		{[]string{"Range: bytes=0-1,5-6"}, 200, "0123456789abcdefghij", ""}, // several ranges: the whole file
		{[]string{"Range: bytes=5-2"}, 200, "0123456789abcdefghij", ""},     // malformed: ignored
		{[]string{"Range: bytes=x-y"}, 200, "0123456789abcdefghij", ""},
		{[]string{"Range: pages=1-2"}, 200, "0123456789abcdefghij", ""},
		{[]string{"Range: bytes=0-4", "If-Range: " + tag}, 206, "01234", "bytes 0-4/20"},
		{[]string{"Range: bytes=0-4", `If-Range: "stale"`}, 200, "0123456789abcdefghij", ""},
		{[]string{"Range: bytes=0-4", "If-Range: W/" + tag}, 200, "0123456789abcdefghij", ""}, // weak never matches
		{[]string{"Range: bytes=0-4", "If-Range: " + lm}, 206, "01234", "bytes 0-4/20"},
		{[]string{"Range: bytes=0-4", "If-Range: Sat, 01 Jan 2000 00:00:00 GMT"}, 200, "0123456789abcdefghij", ""},
		{[]string{"Range: bytes=0-4", "If-None-Match: " + tag}, 304, "", ""}, // conditionals come first
	} {
		resp, body := do(t, "GET", url, tc.headers...)
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Range") != tc.crange || (tc.status != 416 && string(body) != tc.body) {
			t.Errorf("GET %v = %d %q Content-Range %q; want %d %q %q", tc.headers, resp.StatusCode, body,
				resp.Header.Get("Content-Range"), tc.status, tc.body, tc.crange)
		}
		if tc.status == 206 && resp.ContentLength != int64(len(tc.body)) {
			t.Errorf("GET %v: Content-Length %d; want %d", tc.headers, resp.ContentLength, len(tc.body))
		}
	}
	// A range is of the identity representation, even when a compressed
	// sibling is accepted.
	resp, body := do(t, "GET", base+"/files/app.js", "Range: bytes=0-2", "Accept-Encoding: br")
	if resp.StatusCode != 206 || string(body) != "let" || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("range with br accepted = %d %q %q; want 206 \"let\" identity", resp.StatusCode, body, resp.Header.Get("Content-Encoding"))
	}
}

func TestStaticPrecompressed(t *testing.T) {
	_, root := diskRoot(t)
	base := "http://" + serveOn(t, staticRouter(kk.Static(os.DirFS(root), "")))
	js := strings.Repeat("let x = 1;\n", 200)
	for _, tc := range []struct {
		accept, encoding, body string
	}{
		{"br", "br", "BROTLI BYTES"},
		{"zstd", "zstd", "ZSTD BYTES"},
		{"gzip", "gzip", "GZIP BYTES"},
		{"gzip, zstd, br", "br", "BROTLI BYTES"}, // ties: br, zstd, gzip
		{"gzip, zstd", "zstd", "ZSTD BYTES"},
		{"gzip;q=0.9, br;q=0.4", "gzip", "GZIP BYTES"},
		{"br;q=0, *", "zstd", "ZSTD BYTES"},
		{"*;q=0", "", js},
		{"br;q=0, zstd;q=0, gzip;q=0", "", js},
		{"identity", "", js},
		{"deflate", "", js},
		{"GZIP", "gzip", "GZIP BYTES"},
		{"br;q=0.001", "br", "BROTLI BYTES"},
		{"br;q=bogus, gzip", "gzip", "GZIP BYTES"},
	} {
		resp, body := do(t, "GET", base+"/files/app.js", "Accept-Encoding: "+tc.accept)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != tc.encoding || string(body) != tc.body {
			t.Errorf("Accept-Encoding %q = %d %q %q; want %q %q", tc.accept, resp.StatusCode, resp.Header.Get("Content-Encoding"), body, tc.encoding, tc.body)
		}
		if resp.Header.Get("Vary") != "Accept-Encoding" || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
			t.Errorf("Accept-Encoding %q: Vary %q Content-Type %q", tc.accept, resp.Header.Get("Vary"), resp.Header.Get("Content-Type"))
		}
	}
	// Each representation has its own strong tag, and each revalidates.
	seen := map[string]bool{}
	for _, enc := range []string{"identity", "br", "zstd", "gzip"} {
		resp, _ := do(t, "GET", base+"/files/app.js", "Accept-Encoding: "+enc)
		tag := resp.Header.Get("ETag")
		if seen[tag] || strings.HasPrefix(tag, "W/") {
			t.Errorf("%s: ETag %s is weak or shared with another coding", enc, tag)
		}
		seen[tag] = true
		if resp, _ := do(t, "GET", base+"/files/app.js", "Accept-Encoding: "+enc, "If-None-Match: "+tag); resp.StatusCode != 304 {
			t.Errorf("%s: If-None-Match %s = %d; want 304", enc, tag, resp.StatusCode)
		}
	}
	// HEAD tells the length of what GET would send.
	resp, body := do(t, "HEAD", base+"/files/app.js", "Accept-Encoding: br")
	if resp.StatusCode != 200 || len(body) != 0 || resp.ContentLength != int64(len("BROTLI BYTES")) || resp.Header.Get("Content-Encoding") != "br" {
		t.Errorf("HEAD br = %d length %d encoding %q body %q", resp.StatusCode, resp.ContentLength, resp.Header.Get("Content-Encoding"), body)
	}
}

// TestStaticLarge serves a file larger than what is held in memory, whole
// and by range, streamed from the FS.
func TestStaticLarge(t *testing.T) {
	_, root := diskRoot(t)
	big := make([]byte, 3<<20+17)
	for i := range big {
		big[i] = byte(i * 7)
	}
	if err := os.WriteFile(filepath.Join(root, "big.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	base := "http://" + serveOn(t, staticRouter(kk.Static(os.DirFS(root), "")))
	resp, body := do(t, "GET", base+"/files/big.bin")
	if resp.StatusCode != 200 || !bytes.Equal(body, big) || resp.ContentLength != int64(len(big)) {
		t.Fatalf("GET big.bin = %d, %d bytes (Content-Length %d); want %d bytes", resp.StatusCode, len(body), resp.ContentLength, len(big))
	}
	resp, body = do(t, "GET", base+"/files/big.bin", "Range: bytes=2000000-2000999")
	if resp.StatusCode != 206 || !bytes.Equal(body, big[2000000:2001000]) {
		t.Errorf("range of big.bin = %d, %d bytes", resp.StatusCode, len(body))
	}
	if resp, _ := do(t, "GET", base+"/files/big.bin", "If-None-Match: "+resp.Header.Get("ETag")); resp.StatusCode != 304 {
		t.Errorf("big.bin revalidation = %d; want 304", resp.StatusCode)
	}
}

// TestStaticPanicsOnBadDir: kkgen reports these; Static refuses them too.
func TestStaticPanicsOnBadDir(t *testing.T) {
	for _, dir := range []string{"../x", "/abs", "testdata/missing"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Static(embed.FS, %q) did not panic", dir)
				}
			}()
			kk.Static(testStatic, dir)
		}()
	}
	var _ fs.FS = testStatic
	_ = fasthttp.StatusOK
}

// TestStaticWithCompress: behind kk.Compress, a compressible file without
// a precompressed sibling is compressed on the fly, its tag suffixed, and
// that tag revalidates; the held content is not disturbed.
func TestStaticWithCompress(t *testing.T) {
	_, root := diskRoot(t)
	css := strings.Repeat("body { margin: 0 }\n", 100)
	if err := os.WriteFile(filepath.Join(root, "site.css"), []byte(css), 0o644); err != nil {
		t.Fatal(err)
	}
	base := "http://" + serveOn(t, staticRouter(kk.Static(os.DirFS(root), ""), kk.Compress()))
	plain, body := do(t, "GET", base+"/files/site.css")
	if string(body) != css || plain.Header.Get("Content-Encoding") != "" {
		t.Fatalf("identity: %q %q", plain.Header.Get("Content-Encoding"), body[:min(len(body), 20)])
	}
	tag := plain.Header.Get("ETag")
	for i := 0; i < 3; i++ { // the same held bytes, again and again
		resp, body := do(t, "GET", base+"/files/site.css", "Accept-Encoding: gzip")
		if resp.Header.Get("Content-Encoding") != "gzip" || string(decode(t, "gzip", body)) != css {
			t.Fatalf("gzip #%d: %q, %d bytes", i, resp.Header.Get("Content-Encoding"), len(body))
		}
		want := strings.TrimSuffix(tag, `"`) + `-gzip"`
		if resp.Header.Get("ETag") != want || resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("gzip: ETag %s Vary %q; want %s", resp.Header.Get("ETag"), resp.Header.Get("Vary"), want)
		}
		if resp, _ := do(t, "GET", base+"/files/site.css", "Accept-Encoding: gzip", "If-None-Match: "+want); resp.StatusCode != 304 || resp.Header.Get("ETag") != want {
			t.Errorf("revalidating %s = %d ETag %s; want 304 with the same tag", want, resp.StatusCode, resp.Header.Get("ETag"))
		}
	}
	if _, body := do(t, "GET", base+"/files/site.css"); string(body) != css {
		t.Error("the held content changed after compression")
	}
	// A precompressed sibling is served as it is, not compressed again.
	resp, body := do(t, "GET", base+"/files/app.js", "Accept-Encoding: br")
	if resp.Header.Get("Content-Encoding") != "br" || string(body) != "BROTLI BYTES" {
		t.Errorf("sibling behind Compress: %q %q", resp.Header.Get("Content-Encoding"), body)
	}
}

// TestStaticConditionals holds Static to RFC 9110 §13: the validators are
// compared with the tag of the representation the answer would carry (the
// precompressed sibling the client accepts), If-None-Match weakly,
// If-Match and If-Range strongly, in §13.2.2's order, and a 304 carries
// that representation's strong tag.
func TestStaticConditionals(t *testing.T) {
	_, root := diskRoot(t)
	base := "http://" + serveOn(t, staticRouter(kk.Static(os.DirFS(root), "")))
	js := base + "/files/app.js" // siblings .br, .zst, .gz
	resp, _ := do(t, "GET", js)
	h, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	h = strings.Trim(h, `"`)
	id, br, gz := `"`+h+`"`, `"`+h+`-br"`, `"`+h+`-gzip"`
	past, future := "Sat, 01 Jan 2000 00:00:00 GMT", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	for _, tc := range []struct {
		headers []string
		status  int
		etag    string // the ETag the answer must carry ("" for 412)
		body    string // a prefix of the body, for 200 and 206
	}{
		// If-None-Match, weakly, against the tag of what would be sent.
		{[]string{"Accept-Encoding: gzip", "If-None-Match: " + br + ", " + gz}, 304, gz, ""},
		{[]string{"Accept-Encoding: gzip", "If-None-Match: " + br}, 200, gz, "GZIP BYTES"},
		{[]string{"Accept-Encoding: br", "If-None-Match: " + id}, 200, br, "BROTLI BYTES"},
		{[]string{"Accept-Encoding: identity", "If-None-Match: W/" + id}, 304, id, ""},
		{[]string{"Accept-Encoding: br", "If-None-Match: W/" + br}, 304, br, ""},
		{[]string{"Accept-Encoding: identity", "If-None-Match: " + gz}, 200, id, "let x"},
		{[]string{"Accept-Encoding: gzip", "If-None-Match: *"}, 304, gz, ""},
		// If-Match, strongly.
		{[]string{"Accept-Encoding: identity", "If-Match: " + id}, 200, id, "let x"},
		{[]string{"Accept-Encoding: identity", "If-Match: \"other\", " + id}, 200, id, "let x"},
		{[]string{"Accept-Encoding: br", "If-Match: " + br}, 200, br, "BROTLI BYTES"},
		{[]string{"Accept-Encoding: identity", "If-Match: *"}, 200, id, "let x"},
		{[]string{"Accept-Encoding: identity", "If-Match: \"other\""}, 412, "", ""},
		{[]string{"Accept-Encoding: identity", "If-Match: W/" + id}, 412, "", ""},
		{[]string{"Accept-Encoding: identity", "If-Match: " + br}, 412, "", ""},
		{[]string{"Accept-Encoding: br", "If-Match: " + id}, 412, "", ""},
		// If-Unmodified-Since, only without If-Match.
		{[]string{"If-Unmodified-Since: " + past}, 412, "", ""},
		{[]string{"If-Unmodified-Since: " + lm}, 200, id, "let x"},
		{[]string{"If-Unmodified-Since: " + future}, 200, id, "let x"},
		{[]string{"If-Unmodified-Since: not a date"}, 200, id, "let x"},
		{[]string{"If-Match: " + id, "If-Unmodified-Since: " + past}, 200, id, "let x"},
		// §13.2.2: If-Match before If-None-Match, which hides If-Modified-Since.
		{[]string{"If-Match: \"other\"", "If-None-Match: " + id}, 412, "", ""},
		{[]string{"If-Match: " + id, "If-None-Match: " + id}, 304, id, ""},
		{[]string{"If-None-Match: \"other\"", "If-Modified-Since: " + future}, 200, id, "let x"},
		{[]string{"If-Modified-Since: " + lm}, 304, id, ""},
		// If-Range names the identity representation a range is cut from.
		{[]string{"Accept-Encoding: identity", "Range: bytes=0-2", "If-Range: " + br}, 200, id, "let x"},
		{[]string{"Accept-Encoding: br", "Range: bytes=0-2", "If-Range: " + br}, 200, br, "BROTLI BYTES"},
		{[]string{"Accept-Encoding: br", "Range: bytes=0-2", "If-Range: " + id}, 206, id, "let"},
		{[]string{"Range: bytes=0-2", "If-Range: W/" + id}, 200, id, "let x"},
		{[]string{"Range: bytes=0-2", "If-Range: " + lm}, 206, id, "let"},
	} {
		resp, body := do(t, "GET", js, tc.headers...)
		if resp.StatusCode != tc.status || (tc.etag != "" && resp.Header.Get("ETag") != tc.etag) || !strings.HasPrefix(string(body), tc.body) {
			t.Errorf("GET %v = %d ETag %s body %.12q; want %d ETag %s body %q…", tc.headers, resp.StatusCode, resp.Header.Get("ETag"), body, tc.status, tc.etag, tc.body)
		}
		if tc.status == 304 && len(body) != 0 {
			t.Errorf("GET %v: 304 with a body", tc.headers)
		}
		if tc.status == 412 && resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %v: 412 as %q, not a problem", tc.headers, resp.Header.Get("Content-Type"))
		}
	}
	// Repeated field lines are one list (RFC 9110 §5.3).
	addr := strings.TrimPrefix(base, "http://")
	for _, tc := range []struct {
		lines  string
		status int
		etag   string
	}{
		{"If-None-Match: \"other\"\r\nIf-None-Match: " + id + "\r\n", 304, id},
		{"Accept-Encoding: gzip\r\nIf-None-Match: " + br + "\r\nIf-None-Match: " + gz + "\r\n", 304, gz},
		{"Accept-Encoding: identity;q=0.1\r\nAccept-Encoding: br\r\n", 200, br},
		{"If-Match: \"other\"\r\nIf-Match: " + id + "\r\n", 200, id},
	} {
		resp, _ := rawHeaders(t, addr, "GET", "/files/app.js", tc.lines)
		if resp.StatusCode != tc.status || resp.Header.Get("ETag") != tc.etag {
			t.Errorf("%q = %d ETag %s; want %d %s", tc.lines, resp.StatusCode, resp.Header.Get("ETag"), tc.status, tc.etag)
		}
	}
}

// TestStaticEmptyRange: a non-zero suffix range of an empty file is
// satisfiable (RFC 9110 §14.1.1) and answered with the empty whole, 200;
// a range that starts at or past the end is 416.
func TestStaticEmptyRange(t *testing.T) {
	_, root := diskRoot(t)
	if err := os.WriteFile(filepath.Join(root, "empty.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	base := "http://" + serveOn(t, staticRouter(kk.Static(os.DirFS(root), "")))
	for _, tc := range []struct {
		rng    string
		status int
		crange string
	}{
		{"bytes=-10", 200, ""},
		{"bytes=-1", 200, ""},
		{"bytes=-0", 416, "bytes */0"},
		{"bytes=0-", 416, "bytes */0"},
		{"bytes=0-0", 416, "bytes */0"},
	} {
		resp, body := do(t, "GET", base+"/files/empty.txt", "Range: "+tc.rng)
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Range") != tc.crange || (tc.status == 200 && (len(body) != 0 || resp.ContentLength != 0)) {
			t.Errorf("Range %s on an empty file = %d Content-Range %q body %q; want %d %q", tc.rng, resp.StatusCode, resp.Header.Get("Content-Range"), body, tc.status, tc.crange)
		}
	}
}

// TestStaticCompressedConditionals: behind kk.Compress a file compressed
// on the fly is revalidated against the tag Compress gives it, and HEAD
// answers with the headers GET does (RFC 9110 §9.3.2).
func TestStaticCompressedConditionals(t *testing.T) {
	_, root := diskRoot(t)
	css := strings.Repeat("body { margin: 0 }\n", 100)
	if err := os.WriteFile(filepath.Join(root, "site.css"), []byte(css), 0o644); err != nil {
		t.Fatal(err)
	}
	base := "http://" + serveOn(t, staticRouter(kk.Static(os.DirFS(root), ""), kk.Compress()))
	resp, _ := do(t, "GET", base+"/files/site.css")
	id := resp.Header.Get("ETag")
	gz := strings.TrimSuffix(id, `"`) + `-gzip"`
	for _, tc := range []struct {
		ae, inm string
		status  int
		etag    string
	}{
		{"gzip", gz, 304, gz},
		{"gzip", id, 200, gz},
		{"identity", gz, 200, id},
		{"identity", id, 304, id},
		{"br", gz, 200, strings.TrimSuffix(id, `"`) + `-br"`},
	} {
		resp, _ := do(t, "GET", base+"/files/site.css", "Accept-Encoding: "+tc.ae, "If-None-Match: "+tc.inm)
		if resp.StatusCode != tc.status || resp.Header.Get("ETag") != tc.etag {
			t.Errorf("Accept-Encoding %s If-None-Match %s = %d ETag %s; want %d %s", tc.ae, tc.inm, resp.StatusCode, resp.Header.Get("ETag"), tc.status, tc.etag)
		}
	}
	for _, path := range []string{"/files/site.css", "/files/app.js", "/files/ok.txt", "/files/ranges.txt"} {
		for _, ae := range []string{"gzip", "br", "zstd", "identity"} {
			get, body := do(t, "GET", base+path, "Accept-Encoding: "+ae)
			head, hbody := do(t, "HEAD", base+path, "Accept-Encoding: "+ae)
			if len(hbody) != 0 || head.ContentLength != int64(len(body)) || head.StatusCode != get.StatusCode {
				t.Errorf("HEAD %s %s: %d Content-Length %d; GET %d sent %d bytes", path, ae, head.StatusCode, head.ContentLength, get.StatusCode, len(body))
			}
			for _, h := range []string{"Content-Encoding", "Content-Type", "Vary", "ETag", "Last-Modified", "Accept-Ranges"} {
				if g, hd := get.Header.Get(h), head.Header.Get(h); g != hd {
					t.Errorf("%s %s: %s on GET %q, on HEAD %q", path, ae, h, g, hd)
				}
			}
		}
	}
}

// TestStaticSymlinks: a directory on disk (os.DirFS) is served through an
// os.Root, so a symbolic link is followed only while it stays inside.
func TestStaticSymlinks(t *testing.T) {
	dir, root := diskRoot(t)
	for link, target := range map[string]string{
		"out.txt":    filepath.Join(dir, "secret.txt"), // absolute, outside
		"rel.txt":    "../secret.txt",                  // relative, outside
		"outdir":     dir,                              // a directory outside
		"etc":        "/etc",
		"inside.txt": "ok.txt", // inside: fine
		"insub":      "sub",
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	addr := serveOn(t, staticRouter(kk.Static(os.DirFS(root), "")))
	for target, want := range map[string]int{
		"/files/out.txt":           404,
		"/files/rel.txt":           404,
		"/files/outdir/secret.txt": 404,
		"/files/etc/passwd":        404,
		"/files/etc/hostname":      404,
		"/files/inside.txt":        200,
		"/files/insub/a.txt":       200,
	} {
		resp, body := raw(t, addr, target)
		if resp.StatusCode != want || bytes.Contains(body, []byte("TOP SECRET")) || bytes.Contains(body, []byte("root:")) {
			t.Errorf("GET %s = %d %.40q; want %d", target, resp.StatusCode, body, want)
		}
	}
}

// TestStaticSlowReaderNotCut: WriteTimeout bounds a stall, not a download.
// A client that reads a large file steadily, over several times the
// server's WriteTimeout, gets all of it. Small socket buffers on both ends
// keep the kernel from absorbing the file.
func TestStaticSlowReaderNotCut(t *testing.T) {
	_, root := diskRoot(t)
	big := make([]byte, 4<<20)
	for i := range big {
		big[i] = byte(i * 13)
	}
	if err := os.WriteFile(filepath.Join(root, "big.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	const writeTimeout = 300 * time.Millisecond
	kktest.StartTCP(t, &kk.Server{Listener: smallBuffers{ln.(*net.TCPListener)}, Router: staticRouter(kk.Static(os.DirFS(root), "")), WriteTimeout: writeTimeout})

	fetch := func(pace time.Duration) (int, time.Duration) {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.(*net.TCPConn).SetReadBuffer(64 << 10)
		_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
		fmt.Fprintf(conn, "GET /files/big.bin HTTP/1.1\r\nHost: kk\r\nConnection: close\r\n\r\n")
		start := time.Now()
		buf := make([]byte, 32<<10)
		total := 0
		for {
			n, err := conn.Read(buf)
			total += n
			if err != nil {
				return total, time.Since(start)
			}
			if pace > 0 {
				time.Sleep(pace)
			}
		}
	}
	// About 3 MB/s: 4 MiB take well over WriteTimeout, each 256 KiB far less.
	got, took := fetch(5 * time.Millisecond)
	if got < len(big) {
		t.Errorf("a steady reader got %d of %d bytes in %v (WriteTimeout %v): cut while reading", got, len(big), took, writeTimeout)
	}
	if took < 2*writeTimeout {
		t.Logf("the download took %v, not much more than WriteTimeout: the case proves little here", took)
	}
}

// smallBuffers accepts TCP connections with small send buffers.
type smallBuffers struct{ *net.TCPListener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.AcceptTCP()
	if err != nil {
		return nil, err
	}
	_ = c.SetWriteBuffer(64 << 10)
	return c, nil
}
