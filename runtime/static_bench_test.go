package kk_test

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
)

// The static-file benchmarks serve the same directory through kk.Static,
// fasthttp.FS and net/http.FileServer on loopback sockets and drive each
// with the same fasthttp.HostClient from b.RunParallel, so the three are
// measured side by side in one run:
//
//	go test ./runtime -run '^$' -bench 'Static|Compress' -benchtime 2s
//
// BenchmarkStatic/<server>/<case> reports requests per second (req/s)
// and the process's CPU time per request, client included (cpu-µs/req);
// kk-embed serves a 1 KiB file of testdata/static from an embed.FS;
// the 304 cases revalidate with If-Modified-Since, which all three
// support (kk and fasthttp.FS also send ETags; kk's If-None-Match case is
// listed separately).

func benchDir(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	small := bytes.Repeat([]byte("0123456789abcdef"), 64) // 1 KiB
	big := make([]byte, 1<<20)
	for i := range big {
		big[i] = byte(i * 31)
	}
	for name, data := range map[string][]byte{"small.txt": small, "big.bin": big} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// benchServe serves h on loopback until the benchmark ends.
func benchServe(b *testing.B, h fasthttp.RequestHandler, nh http.Handler) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	if nh != nil {
		s := &http.Server{Handler: nh, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = s.Serve(ln) }()
		b.Cleanup(func() { _ = s.Close() })
	} else {
		s := &fasthttp.Server{Handler: h}
		go func() { _ = s.Serve(ln) }()
		b.Cleanup(func() { _ = s.Shutdown() })
	}
	return ln.Addr().String()
}

func BenchmarkStatic(b *testing.B) {
	dir := benchDir(b)
	fsh := (&fasthttp.FS{Root: dir, AcceptByteRange: true, PathRewrite: fasthttp.NewPathPrefixStripper(len("/files"))}).NewRequestHandler()
	servers := []struct {
		name string
		addr func() string
	}{
		{"kk", func() string { return benchServe(b, staticRouter(kk.Static(os.DirFS(dir), "")).Handler(), nil) }},
		{"kk-embed", func() string {
			return benchServe(b, staticRouter(kk.Static(testStatic, "testdata/static")).Handler(), nil)
		}},
		{"fasthttp.FS", func() string { return benchServe(b, fsh, nil) }},
		{"net-http", func() string {
			return benchServe(b, nil, http.StripPrefix("/files", http.FileServer(http.Dir(dir))))
		}},
	}
	for _, s := range servers {
		addr := s.addr()
		client := &fasthttp.HostClient{Addr: addr, MaxConns: 64, ReadBufferSize: 8 << 10}
		type benchCase struct {
			name, path string
			header     [2]string
			status     int
			size       int
		}
		var cases []benchCase
		if s.name == "kk-embed" { // no 1 MiB file embedded, and no dates
			tag := header(b, client, "/files/bench1k.txt", "ETag")
			cases = []benchCase{
				{"1KiB", "/files/bench1k.txt", [2]string{}, 200, 1 << 10},
				{"304-etag", "/files/bench1k.txt", [2]string{"If-None-Match", tag}, 304, 0},
			}
		} else {
			lm := lastModified(b, client, "/files/small.txt")
			cases = []benchCase{
				{"1KiB", "/files/small.txt", [2]string{}, 200, 1 << 10},
				{"1MiB", "/files/big.bin", [2]string{}, 200, 1 << 20},
				{"304", "/files/small.txt", [2]string{"If-Modified-Since", lm}, 304, 0},
			}
		}
		if s.name == "kk" {
			tag := header(b, client, "/files/small.txt", "ETag")
			cases = append(cases, benchCase{"304-etag", "/files/small.txt", [2]string{"If-None-Match", tag}, 304, 0})
		}
		for _, tc := range cases {
			b.Run(s.name+"/"+tc.name, func(b *testing.B) {
				start, cpu0 := time.Now(), cpuTime()
				b.RunParallel(func(pb *testing.PB) {
					req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
					defer fasthttp.ReleaseRequest(req)
					defer fasthttp.ReleaseResponse(resp)
					req.SetRequestURI("http://" + addr + tc.path)
					if tc.header[0] != "" {
						req.Header.Set(tc.header[0], tc.header[1])
					}
					for pb.Next() {
						if err := client.Do(req, resp); err != nil {
							b.Error(err)
							return
						}
						if resp.StatusCode() != tc.status || len(resp.Body()) != tc.size {
							b.Errorf("%s: %d, %d bytes; want %d, %d", tc.path, resp.StatusCode(), len(resp.Body()), tc.status, tc.size)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
				b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/req")
			})
		}
	}
}

// cpuTime is the CPU time (user and system) the process has used: server
// and client together. Per request it moves far less with a busy machine
// than wall time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func header(b *testing.B, c *fasthttp.HostClient, path, key string) string {
	b.Helper()
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://" + c.Addr + path)
	if err := c.Do(req, resp); err != nil {
		b.Fatal(err)
	}
	v := string(resp.Header.Peek(key))
	if v == "" {
		b.Fatalf("%s: no %s header", path, key)
	}
	return v
}

func lastModified(b *testing.B, c *fasthttp.HostClient, path string) string {
	return header(b, c, path, "Last-Modified")
}

// BenchmarkCompress measures the cost of compressing one 16 KiB JSON-like
// text body per request at the default levels, in process (no sockets):
// kk.Compress, negotiating from Accept-Encoding, against fasthttp's
// CompressHandler family, which picks a fixed order. ns/KiB is the cost
// per KiB of uncompressed body; identity is the handler alone.
func BenchmarkCompress(b *testing.B) {
	var sb strings.Builder
	for i := 0; sb.Len() < 16<<10; i++ {
		fmt.Fprintf(&sb, `{"id":%d,"name":"user %d","email":"user%d@example.com","tags":["a","b"],"done":%v},`, i, i, i, i%2 == 0)
	}
	body := []byte(sb.String()[:16<<10])
	plain := func(rc *fasthttp.RequestCtx) {
		rc.SetContentType("application/json")
		rc.SetBody(body)
	}
	kkRouter := kk.New(kk.Table{
		Routes:  []kk.Route{{Method: "GET", Pattern: "/", Name: "body", Handler: func(c *kk.Ctx) error { plain(c.RequestCtx); return nil }}},
		Methods: []string{"GET"},
		Match: func(method string, p []byte, ps *kk.Params) int {
			if method == "GET" {
				return 0
			}
			return -1
		},
	})
	kkRouter.Use(kk.Compress())
	kkh := kkRouter.Handler()
	for _, tc := range []struct {
		name, accept string
		h            fasthttp.RequestHandler
	}{
		{"identity/handler", "identity", plain},
		{"br/kk", "br", kkh},
		{"br/fasthttp", "br", fasthttp.CompressHandlerBrotliLevel(plain, fasthttp.CompressBrotliDefaultCompression, fasthttp.CompressDefaultCompression)},
		{"zstd/kk", "zstd", kkh},
		{"zstd/fasthttp", "zstd", fasthttp.CompressHandlerLevel(plain, fasthttp.CompressZstdDefault)},
		{"gzip/kk", "gzip", kkh},
		{"gzip/fasthttp", "gzip", fasthttp.CompressHandler(plain)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var rc fasthttp.RequestCtx
			var req fasthttp.Request
			req.SetRequestURI("/")
			req.Header.Set("Accept-Encoding", tc.accept)
			rc.Init(&req, nil, nil)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			var out int
			for b.Loop() {
				rc.Response.Reset()
				tc.h(&rc)
				out = len(rc.Response.Body())
			}
			if enc := string(rc.Response.Header.Peek("Content-Encoding")); enc != strings.TrimPrefix(tc.accept, "identity") {
				b.Fatalf("Content-Encoding %q; want %q", enc, tc.accept)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/16, "ns/KiB")
			b.ReportMetric(float64(out)/float64(len(body))*100, "%size")
		})
	}
}
