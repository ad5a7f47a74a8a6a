package main

// Faults under concurrency: handler panics, and clients that vanish in
// the middle of a request or a response. Both run in CI.

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestPanicsUnderConcurrency has many clients hit a panicking handler at
// once, mixed with ordinary requests: every panic is a 500, every other
// request is answered normally, and the server keeps serving.
func TestPanicsUnderConcurrency(t *testing.T) {
	addr, _ := hostileServer(t, limits{})
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}, Timeout: 10 * time.Second}
	defer hc.CloseIdleConnections()
	const clients, each = 16, 50
	var wg sync.WaitGroup
	errs := make(chan error, clients*each)
	for range clients {
		wg.Go(func() {
			for i := range each {
				path, want := "/debug/panic", 500
				if i%3 == 0 {
					path, want = "/healthz", 204
				}
				resp, err := hc.Get("http://" + addr + path)
				if err != nil {
					errs <- err
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != want || want == 500 && strings.Contains(string(body), "deliberate") {
					errs <- fmt.Errorf("GET %s: %d %s, want %d without the panic's message", path, resp.StatusCode, body, want)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := exchange(addr, get("/healthz"), 1); len(got.resps) != 1 || got.resps[0].StatusCode != 204 {
		t.Errorf("after the panics: %v %v", got.statuses(), got.err)
	}
}

// TestDisconnectsLeakNothing has clients vanish mid-request (in the
// header block, in the body) and mid-response (while a slow handler
// runs, and while a large answer is being written), then checks that the
// server's goroutines come back to what they were before.
func TestDisconnectsLeakNothing(t *testing.T) {
	addr, closed := hostileServer(t, limits{})
	// Warm up with more connections at once than the disconnects use, so
	// the server's pool of idle workers (kept 10 s) is already as large
	// as it will get: what stays above the baseline afterwards is a leak.
	var warm sync.WaitGroup
	for range 150 {
		warm.Go(func() {
			if got := exchange(addr, get("/debug/sleep?ms=50"), 1); len(got.resps) != 1 || got.resps[0].StatusCode != 200 {
				t.Errorf("warm-up: %v %v", got.statuses(), got.err)
			}
		})
	}
	warm.Wait()
	base := settledGoroutines(0, 3*time.Second)
	var big strings.Builder
	for range 2000 {
		big.WriteString(get("/"))
	}
	vanish := []string{
		"GET /healthz HTTP/1.1\r\nHost: k",                   // mid-headers
		createURL + "Content-Length: 1000\r\n\r\n{\"name\":", // mid-body
		get("/debug/sleep?ms=100"),                           // while the handler runs
		big.String(),                                         // while answers are written
	}
	const rounds = 25
	var wg sync.WaitGroup
	for range rounds {
		for _, req := range vanish {
			wg.Go(func() {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					t.Error(err)
					return
				}
				c.Write([]byte(req))
				time.Sleep(20 * time.Millisecond)
				c.Close()
			})
		}
	}
	wg.Wait()
	if got := settledGoroutines(base, 10*time.Second); got > base {
		t.Errorf("goroutines: %d before, %d after the disconnects settled", base, got)
	}
	if n := closed.count(); n < rounds*len(vanish) {
		t.Errorf("the server closed %d connections, want at least %d", n, rounds*len(vanish))
	}
	if got := exchange(addr, get("/healthz"), 1); len(got.resps) != 1 || got.resps[0].StatusCode != 204 {
		t.Errorf("after the disconnects: %v %v", got.statuses(), got.err)
	}
}

// settledGoroutines waits until the goroutine count is at most target (or,
// with target 0, stops changing), for up to d, and returns it.
func settledGoroutines(target int, d time.Duration) int {
	deadline := time.Now().Add(d)
	prev := -1
	for {
		runtime.GC()
		n := runtime.NumGoroutine()
		if target > 0 && n <= target || target == 0 && n == prev || time.Now().After(deadline) {
			return n
		}
		prev = n
		time.Sleep(100 * time.Millisecond)
	}
}
