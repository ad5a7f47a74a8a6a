package static

import (
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

// serve starts NewRouter on a loopback port and returns its base URL.
func serve(t *testing.T) string {
	t.Helper()
	return kktest.NewTCPServer(t, NewRouter()).URL
}

// get sends one request with the headers given as "Key: value" pairs; the
// Accept-Encoding header is always set, so net/http neither adds gzip nor
// decodes the body.
func get(t *testing.T, method, url string, headers ...string) (*http.Response, string) {
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
	return resp, string(b)
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStaticRoutes(t *testing.T) {
	base := serve(t)
	index, sub, app := read(t, "public/index.html"), read(t, "public/sub/index.html"), read(t, "public/app.js")
	for _, tc := range []struct {
		method, path string
		status       int
		body, ctype  string
	}{
		{"GET", "/assets/", 200, index, "text/html; charset=utf-8"},
		{"GET", "/assets/index.html", 200, index, "text/html; charset=utf-8"},
		{"GET", "/assets/sub/", 200, sub, "text/html; charset=utf-8"},
		{"GET", "/assets/sub", 200, sub, "text/html; charset=utf-8"},
		{"GET", "/assets/app.js", 200, app, "text/javascript; charset=utf-8"},
		{"GET", "/assets/special", 200, "special route", "text/plain; charset=utf-8"}, // the annotated route wins
		{"POST", "/assets/upload", 200, "uploaded", "text/plain; charset=utf-8"},
		{"GET", "/assets/empty/", 404, "", ""}, // no index.html, no listing
		{"GET", "/assets/empty", 404, "", ""},
		{"GET", "/assets/empty/readme.txt", 200, "not an index\n", "text/plain; charset=utf-8"},
		{"GET", "/assets/app.js/", 404, "", ""}, // a file is not a directory
		{"GET", "/assets/sub/.hidden", 404, "", ""},
		{"GET", "/assets/missing.css", 404, "", ""},
		{"GET", "/assets", 404, "", ""}, // the catch-all needs its slash
		{"GET", "/disk/hello.txt", 200, "hello from disk\n", "text/plain; charset=utf-8"},
		{"GET", "/disk/docs/", 200, "<p>docs</p>\n", "text/html; charset=utf-8"},
		{"GET", "/disk/", 404, "", ""},
		{"GET", "/disk/.env", 404, "", ""},
	} {
		resp, body := get(t, tc.method, base+tc.path)
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s = %d %q; want %d", tc.method, tc.path, resp.StatusCode, body, tc.status)
			continue
		}
		if tc.status == 200 && (body != tc.body || resp.Header.Get("Content-Type") != tc.ctype) {
			t.Errorf("%s %s = %q (%s); want %q (%s)", tc.method, tc.path, body, resp.Header.Get("Content-Type"), tc.body, tc.ctype)
		}
	}
}

func TestStaticMethods(t *testing.T) {
	base := serve(t)
	// Other methods under the prefix: 405, as for a catch-all GET route.
	for _, m := range []string{"POST", "PUT", "DELETE"} {
		resp, _ := get(t, m, base+"/assets/app.js")
		if resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s /assets/app.js = %d Allow %q; want 405 Allow \"GET, HEAD\"", m, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
	// HEAD: GET's headers, no body.
	resp, body := get(t, "HEAD", base+"/assets/app.js")
	if resp.StatusCode != 200 || body != "" || resp.ContentLength != int64(len(read(t, "public/app.js"))) || resp.Header.Get("ETag") == "" {
		t.Errorf("HEAD /assets/app.js = %d length %d body %q ETag %q", resp.StatusCode, resp.ContentLength, body, resp.Header.Get("ETag"))
	}
}

func TestStaticPrecompressed(t *testing.T) {
	base := serve(t)
	app, br, gz := read(t, "public/app.js"), read(t, "public/app.js.br"), read(t, "public/app.js.gz")
	for _, tc := range []struct {
		accept, encoding, body string
	}{
		{"br", "br", br},
		{"gzip", "gzip", gz},
		{"gzip, br", "br", br},               // a tie goes to br
		{"br;q=0.5, gzip;q=0.8", "gzip", gz}, // the client's preference
		{"br;q=0, gzip", "gzip", gz},
		{"br;q=0, gzip;q=0", "", app},
		{"zstd", "", app}, // no .zst sibling
		{"*", "br", br},
		{"identity", "", app},
	} {
		resp, body := get(t, "GET", base+"/assets/app.js", "Accept-Encoding: "+tc.accept)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != tc.encoding || body != tc.body {
			t.Errorf("Accept-Encoding %q: %d Content-Encoding %q, %d bytes; want %q, %d bytes",
				tc.accept, resp.StatusCode, resp.Header.Get("Content-Encoding"), len(body), tc.encoding, len(tc.body))
		}
		if resp.Header.Get("Vary") != "Accept-Encoding" || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
			t.Errorf("Accept-Encoding %q: Vary %q Content-Type %q", tc.accept, resp.Header.Get("Vary"), resp.Header.Get("Content-Type"))
		}
	}
}

func TestStaticConditional(t *testing.T) {
	base := serve(t)
	resp, _ := get(t, "GET", base+"/assets/index.html")
	tag := resp.Header.Get("ETag")
	if !strings.HasPrefix(tag, `"`) || resp.Header.Get("Last-Modified") != "" {
		t.Fatalf("embed.FS file: ETag %q Last-Modified %q; want a strong tag and no date", tag, resp.Header.Get("Last-Modified"))
	}
	if resp, body := get(t, "GET", base+"/assets/", "If-None-Match: "+tag); resp.StatusCode != 304 || body != "" || resp.Header.Get("ETag") != tag {
		t.Errorf("If-None-Match %s = %d %q ETag %q; want 304", tag, resp.StatusCode, body, resp.Header.Get("ETag"))
	}
	resp, _ = get(t, "GET", base+"/disk/hello.txt")
	lm := resp.Header.Get("Last-Modified")
	if lm == "" {
		t.Fatal("os.DirFS file: no Last-Modified")
	}
	if resp, _ := get(t, "GET", base+"/disk/hello.txt", "If-Modified-Since: "+lm); resp.StatusCode != 304 {
		t.Errorf("If-Modified-Since %s = %d; want 304", lm, resp.StatusCode)
	}
	if resp, _ := get(t, "GET", base+"/disk/hello.txt", "If-Modified-Since: Mon, 02 Jan 2006 15:04:05 GMT"); resp.StatusCode != 200 {
		t.Errorf("If-Modified-Since 2006 = %d; want 200", resp.StatusCode)
	}
}
