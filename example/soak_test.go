package main

// The soak: a long, bounded run of requests against the example over
// loopback, with the process's RSS and goroutine count sampled. It is
// not part of the default go test; run it with
//
//	KK_SOAK=1000000 go test ./example -run TestSoak -v -timeout 30m
//
// (the value is the number of requests). RELIABILITY.md has the figures
// of the last run.

import (
	"bytes"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

func TestSoak(t *testing.T) {
	total, _ := strconv.Atoi(os.Getenv("KK_SOAK"))
	if total <= 0 {
		t.Skip("set KK_SOAK to a number of requests to run the soak")
	}
	// The suite's log collector keeps everything in memory; a soak of
	// logged panics and access lines would measure it, not the server.
	defer func(l *slog.Logger) { slog.SetDefault(l) }(slog.Default())
	slog.SetDefault(slog.New(slog.DiscardHandler))
	addr, _ := hostileServer(t, limits{})
	// A mix of what the example serves: successes, errors, decoding
	// failures, 404s, panics, a JSON body.
	type call struct {
		method, path string
		body         string
		status       int
	}
	calls := []call{
		{"GET", "/healthz", "", 204},
		{"GET", "/", "", 200},
		{"GET", "/api/v1/users?limit=5", "", 200},
		{"GET", "/api/v1/users/424242", "", 404},
		{"GET", "/api/v1/users/abc", "", 400},
		{"GET", "/static/style.css", "", 200},
		{"GET", "/nowhere", "", 404},
		{"GET", "/debug/panic", "", 500},
		{"POST", "/api/v1/users", `{"name":"x","email":"bad"}`, 422},
	}
	hc := &fasthttp.HostClient{Addr: addr, MaxConns: 64, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	const workers = 32
	var next, bad atomic.Int64
	type sample struct {
		done       int64
		rss        int64
		goroutines int
	}
	var samples []sample
	var mu sync.Mutex
	every := int64(total / 20)
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			for {
				i := next.Add(1)
				if i > int64(total) {
					return
				}
				c := calls[int(i)%len(calls)]
				req.Reset()
				req.SetRequestURI("http://kk" + c.path)
				req.Header.SetMethod(c.method)
				if c.body != "" {
					req.Header.Set("Authorization", "Bearer "+testToken)
					req.Header.SetContentType("application/json")
					req.SetBodyString(c.body)
				}
				if err := hc.Do(req, resp); err != nil || resp.StatusCode() != c.status {
					if bad.Add(1) <= 5 {
						t.Errorf("%s %s: %v %d, want %d", c.method, c.path, err, resp.StatusCode(), c.status)
					}
				}
				if i%every == 0 && i < int64(total)-every/2 { // not while the workers wind down
					// Garbage is returned to the OS first: what stays is
					// what the server holds on to, so growth is a leak.
					debug.FreeOSMemory()
					s := sample{done: i, rss: rss(), goroutines: runtime.NumGoroutine()}
					mu.Lock()
					samples = append(samples, s)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	t.Logf("%d requests in %v (%.0f/s), %d failed", total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), bad.Load())
	// After warm-up (the first quarter), RSS and goroutines stay within
	// 10 % of their warm level.
	var warm []sample
	for _, s := range samples {
		t.Logf("after %8d: RSS %6.1f MiB, %4d goroutines", s.done, float64(s.rss)/(1<<20), s.goroutines)
		if s.done > int64(total/4) {
			warm = append(warm, s)
		}
	}
	if len(warm) < 2 {
		t.Fatalf("only %d samples after warm-up", len(warm))
	}
	lo, hi := warm[0], warm[0]
	for _, s := range warm {
		lo.rss, hi.rss = min(lo.rss, s.rss), max(hi.rss, s.rss)
		lo.goroutines, hi.goroutines = min(lo.goroutines, s.goroutines), max(hi.goroutines, s.goroutines)
	}
	t.Logf("after warm-up: RSS %.1f–%.1f MiB (%+.1f %%), goroutines %d–%d (%+.1f %%)",
		float64(lo.rss)/(1<<20), float64(hi.rss)/(1<<20), 100*float64(hi.rss-lo.rss)/float64(lo.rss),
		lo.goroutines, hi.goroutines, 100*float64(hi.goroutines-lo.goroutines)/float64(lo.goroutines))
	if float64(hi.rss) > 1.1*float64(lo.rss) {
		t.Errorf("RSS grew from %d to %d bytes after warm-up", lo.rss, hi.rss)
	}
	if float64(hi.goroutines) > 1.1*float64(lo.goroutines) {
		t.Errorf("goroutines grew from %d to %d after warm-up", lo.goroutines, hi.goroutines)
	}
}

// rss is the process's resident set size in bytes, from /proc.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(string(f[1]), 10, 64)
	return pages * int64(os.Getpagesize())
}
