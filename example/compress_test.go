package main

import (
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

// TestStaticAndCompress: the //kk:static site revalidates with 304s and
// serves ranges, and kk.Compress compresses the larger text answers with
// the coding the client prefers.
func TestStaticAndCompress(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	resp, _ := c.want("GET", "/static/style.css", 200, "text/css; charset=utf-8")
	tag := resp.Header.Get("ETag")
	if !strings.HasPrefix(tag, `"`) {
		t.Fatalf("style.css ETag %q; want a strong tag", tag)
	}
	if resp, body := c.do("GET", "/static/style.css", header("If-None-Match", tag)); resp.StatusCode != 304 || body != "" {
		t.Errorf("If-None-Match: %d %q; want 304", resp.StatusCode, body)
	}
	css, _ := staticFiles.ReadFile("static/style.css")
	if resp, body := c.do("GET", "/static/style.css", header("Range", "bytes=0-3")); resp.StatusCode != 206 || body != string(css[:4]) {
		t.Errorf("Range: %d %q; want 206 %q", resp.StatusCode, body, css[:4])
	}
	if resp, _ := c.do("GET", "/static/.hidden"); resp.StatusCode != 404 {
		t.Errorf("a dotfile: %d; want 404", resp.StatusCode)
	}

	// The route index is text well over 1 KiB.
	_, plain := c.want("GET", "/", 200, "text/plain; charset=utf-8")
	for accept, enc := range map[string]string{"gzip": "gzip", "br;q=0.5, zstd": "zstd", "gzip, br": "br", "identity": ""} {
		resp, body := c.do("GET", "/", header("Accept-Encoding", accept))
		if resp.Header.Get("Content-Encoding") != enc || resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("GET / Accept-Encoding %q: Content-Encoding %q Vary %q; want %q", accept, resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"), enc)
			continue
		}
		var got []byte
		var err error
		switch enc {
		case "gzip":
			got, err = fasthttp.AppendGunzipBytes(nil, []byte(body))
		case "zstd":
			got, err = fasthttp.AppendUnzstdBytes(nil, []byte(body))
		case "br":
			got, err = fasthttp.AppendUnbrotliBytes(nil, []byte(body))
		default:
			got = []byte(body)
		}
		if err != nil || string(got) != plain {
			t.Errorf("GET / %s: decodes to %d bytes (%v); want the %d of the plain answer", enc, len(got), err, len(plain))
		}
	}
}
