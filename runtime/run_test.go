package kk_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// inFlight is how many requests TestShutdownLosesNothing holds in flight.
// CI runs the default; the measurement in BENCHMARKS.md runs bench/shutdown
// with 10,000, which needs more file descriptors than one process has.
var inFlight = flag.Int("shutdown.inflight", 600, "requests in flight for TestShutdownLosesNothing")

// logBuffer is a goroutine-safe log sink, to check what servers log.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(b, nil)) }

// loopback listens on a fresh loopback port.
func loopback(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// running is kk.Run serving servers in the background; stop cancels its
// context and returns what Run returned.
type running struct {
	cancel context.CancelFunc
	done   chan error
	err    error
	once   sync.Once
}

func startRun(t *testing.T, servers ...*kk.Server) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- kk.Run(ctx, servers...) }()
	t.Cleanup(func() { r.stop(t) })
	for _, s := range servers { // Run has listened once Stats knows the address
		deadline := time.Now().Add(5 * time.Second)
		for s.Stats().Addr == "" {
			if time.Now().After(deadline) {
				t.Fatal("server did not start listening")
			}
			time.Sleep(time.Millisecond)
		}
	}
	return r
}

func (r *running) stop(t *testing.T) error {
	t.Helper()
	r.once.Do(func() {
		r.cancel()
		select {
		case r.err = <-r.done:
		case <-time.After(30 * time.Second):
			r.err = errors.New("Run did not return within 30s of its context's end")
			t.Error(r.err)
		}
	})
	return r.err
}

func url(s *kk.Server, path string) string { return "http://" + s.Stats().Addr + path }

// get sends a request with net/http's client and returns its status and
// body.
func send(t *testing.T, c *http.Client, method, url string, body []byte) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == nil {
		req.Body = nil
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return resp.StatusCode, string(b), resp.Header
}

// work stands for a call that honours its context, as a database driver
// does: it takes d, or returns ctx's error as soon as ctx is done.
func work(ctx context.Context, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute) // a driver's own deadline, derived as drivers do
	defer cancel()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// gate is a handler that blocks until released, counting who waits.
type gate struct {
	entered chan struct{}
	release chan struct{}
}

func newGate() *gate { return &gate{entered: make(chan struct{}, 4096), release: make(chan struct{})} }

func (g *gate) handler(c *kk.Ctx) error {
	g.entered <- struct{}{}
	<-g.release
	return kk.Text(c, "released")
}

func (g *gate) wait(t *testing.T, n int) {
	t.Helper()
	for range n {
		select {
		case <-g.entered:
		case <-time.After(10 * time.Second):
			t.Fatal("handlers did not start")
		}
	}
}

// TestRunTwoServersDifferentLimits runs a default server and a tight one
// in one process: the tight one answers 413 past its body limit and 503
// past its Concurrency, while the other, serving the same kind of
// requests at the same time, is unaffected.
func TestRunTwoServersDifferentLimits(t *testing.T) {
	g := newGate()
	var logs logBuffer
	handlers := map[string]kk.Handler{"GetItem": g.handler}
	api := &kk.Server{Listener: loopback(t), Router: kk.New(table(handlers)), Logger: logs.logger()}
	admin := &kk.Server{Listener: loopback(t), Router: kk.New(table(handlers)), Logger: logs.logger(),
		MaxBodySize: 1 << 10, Concurrency: 2}
	startRun(t, api, admin)
	for _, s := range []*kk.Server{api, admin} {
		if want := fmt.Sprintf("kk: listening\" addr=%s", s.Stats().Addr); !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
	hc := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0}, Timeout: 10 * time.Second}
	defer hc.CloseIdleConnections()

	big := make([]byte, 4<<10)
	if st, body, h := send(t, hc, "POST", url(admin, "/items/1"), big); st != 413 ||
		h.Get("Content-Type") != "application/problem+json" || !strings.Contains(body, `"status":413`) {
		t.Errorf("tight server, 4 KiB body: %d %s %s", st, h.Get("Content-Type"), body)
	}
	if st, _, _ := send(t, hc, "POST", url(api, "/items/1"), big); st != 204 {
		t.Errorf("default server, 4 KiB body: %d, want 204", st)
	}

	// Two requests hold the tight server's two slots; a third is refused.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if st, body, _ := send(t, hc, "GET", url(admin, "/items/slow"), nil); st != 200 || body != "released" {
				t.Errorf("held request: %d %q", st, body)
			}
		})
	}
	g.wait(t, 2)
	st, body, h := send(t, hc, "GET", url(admin, "/hello"), nil)
	if st != 503 || h.Get("Retry-After") != "1" || h.Get("Content-Type") != "application/problem+json" ||
		!strings.Contains(body, `"status":503`) {
		t.Errorf("past Concurrency: %d %v %s", st, h, body)
	}
	if got := admin.Stats().Rejected; got != 1 {
		t.Errorf("Rejected = %d, want 1", got)
	}
	// Meanwhile the other server serves many at once.
	for range 10 {
		wg.Go(func() {
			if st, body, _ := send(t, hc, "GET", url(api, "/items/x"), nil); st != 200 || body != "released" {
				t.Errorf("default server while the tight one is full: %d %q", st, body)
			}
		})
	}
	g.wait(t, 10)
	if st, _, _ := send(t, hc, "GET", url(api, "/hello"), nil); st != 204 {
		t.Errorf("default server with 10 requests in flight: %d, want 204", st)
	}
	close(g.release)
	wg.Wait()
	if st, _, _ := send(t, hc, "GET", url(admin, "/hello"), nil); st != 204 {
		t.Errorf("tight server once its slots are free: %d, want 204", st)
	}
}

// TestShutdownLosesNothing holds inFlight requests in their handlers, each
// on a keep-alive connection that has already served one, then shuts the
// server down. Each handler, told by kk.ShuttingDown that the shutdown has
// begun, then does 400 ms of work that honours its request's context (as
// a database call does): the shutdown does not cancel that context, so
// every one is answered 200, completely, with Connection: close, and Run
// returns nil.
func TestShutdownLosesNothing(t *testing.T) {
	n := *inFlight
	if raceEnabled && n > 300 {
		n = 300 // the race detector allows 8128 goroutines; the client needs two per connection
	}
	const size = 4 << 10
	payload := strings.Repeat("k", size)
	started := make(chan struct{}, n)
	handlers := map[string]kk.Handler{
		"GetItem": func(c *kk.Ctx) error {
			if c.Param("id") == "warm" {
				return kk.Text(c, payload)
			}
			started <- struct{}{}
			ctx := c.Context()
			select {
			case <-kk.ShuttingDown(ctx):
			case <-ctx.Done():
				return fmt.Errorf("request context cancelled before the shutdown: %w", ctx.Err())
			}
			if err := work(ctx, 400*time.Millisecond); err != nil {
				return fmt.Errorf("work across the shutdown: %w", err)
			}
			return kk.Text(c, payload)
		},
	}
	srv := &kk.Server{Listener: loopback(t), Router: kk.New(table(handlers)), ShutdownTimeout: 30 * time.Second,
		Logger: slog.New(slog.DiscardHandler)}
	run := startRun(t, srv)
	tr := &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: n}
	hc := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	defer tr.CloseIdleConnections()

	// Open n keep-alive connections, each serving one request first.
	var wg sync.WaitGroup
	warm := make(chan struct{})
	for range n {
		wg.Go(func() {
			<-warm
			resp, err := hc.Get(url(srv, "/items/warm"))
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			if err != nil {
				t.Errorf("warm-up: %v", err)
			}
		})
	}
	close(warm)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	if c := srv.Stats().Connections; c != n {
		t.Logf("%d connections open after the warm-up (want %d)", c, n)
	}

	type result struct {
		status int
		body   int
		close  bool
		err    error
	}
	results := make(chan result, n)
	for range n {
		go func() {
			resp, err := hc.Get(url(srv, "/items/held"))
			if err != nil {
				results <- result{err: err}
				return
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			results <- result{status: resp.StatusCode, body: len(b), close: resp.Close, err: err}
		}()
	}
	for i := range n {
		select {
		case <-started:
		case <-time.After(30 * time.Second):
			t.Fatalf("only %d of %d requests reached their handler", i, n)
		}
	}
	if got := srv.Stats().InFlight; got != n {
		t.Fatalf("InFlight = %d, want %d", got, n)
	}
	begin := time.Now()
	if err := run.stop(t); err != nil {
		t.Errorf("Run: %v", err)
	}
	took := time.Since(begin)
	answered, lost := 0, 0
	for range n {
		r := <-results
		switch {
		case r.err != nil || r.status != 200 || r.body != size:
			lost++
			if lost <= 5 {
				t.Errorf("request in flight: status %d, %d bytes, err %v", r.status, r.body, r.err)
			}
		case !r.close:
			t.Errorf("answer in flight during shutdown without Connection: close")
		default:
			answered++
		}
	}
	t.Logf("shutdown with %d requests in flight: %d answered completely, %d lost, in %v", n, answered, lost, took)
	if lost > 0 {
		t.Errorf("%d of %d requests in flight were lost", lost, n)
	}
}

// TestShutdownClosesIdleConnectionsAtOnce checks that a keep-alive
// connection waiting for its next request is closed as the shutdown
// begins, not after IdleTimeout, and that Run returns at once.
func TestShutdownClosesIdleConnectionsAtOnce(t *testing.T) {
	srv := &kk.Server{Listener: loopback(t), Router: kk.New(table(nil)), IdleTimeout: time.Hour,
		Logger: slog.New(slog.DiscardHandler)}
	run := startRun(t, srv)
	conn, err := net.Dial("tcp", srv.Stats().Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	fmt.Fprint(conn, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 204 || resp.Close {
		t.Fatalf("first request: %v %v", resp, err)
	}
	begin := time.Now()
	if err := run.stop(t); err != nil {
		t.Errorf("Run: %v", err)
	}
	if took := time.Since(begin); took > 3*time.Second { // far below the 10 s ShutdownTimeout; loose for busy CI machines
		t.Errorf("Run took %v to shut down a server with only an idle connection", took)
	}
	conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	if n, err := br.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("idle connection after shutdown: read %d bytes, %v; want EOF", n, err)
	}
}

// TestShutdownDeadline runs a handler that does not finish: Run gives up
// after ShutdownTimeout, closes the connection, logs what it cut off and
// returns ErrShutdownTimeout.
func TestShutdownDeadline(t *testing.T) {
	g := newGate()
	defer close(g.release)
	var logs logBuffer
	srv := &kk.Server{Listener: loopback(t), Router: kk.New(table(map[string]kk.Handler{"GetItem": g.handler})),
		ShutdownTimeout: 300 * time.Millisecond, Logger: logs.logger()}
	run := startRun(t, srv)
	failed := make(chan error, 1)
	go func() {
		resp, err := http.Get(url(srv, "/items/forever"))
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("answered %d", resp.StatusCode)
		}
		failed <- err
	}()
	g.wait(t, 1)
	begin := time.Now()
	err := run.stop(t)
	took := time.Since(begin)
	if !errors.Is(err, kk.ErrShutdownTimeout) {
		t.Errorf("Run = %v, want ErrShutdownTimeout", err)
	}
	if took < 300*time.Millisecond || took > 5*time.Second {
		t.Errorf("Run returned %v after the shutdown began; ShutdownTimeout is 300ms", took)
	}
	log := logs.String()
	if !strings.Contains(log, "kk: shutdown deadline passed") || !strings.Contains(log, "requests=1 connections=1") {
		t.Errorf("the cut-off is not logged:\n%s", log)
	}
	select {
	case err := <-failed:
		if err == nil || strings.HasPrefix(err.Error(), "answered") {
			t.Errorf("client of the cut-off request: %v, want a closed connection", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("the cut-off request's connection was not closed")
	}
}

// TestMaxConns refuses connections past MaxConns with 503 and past
// MaxConnsPerIP with 429, before reading a request.
func TestMaxConns(t *testing.T) {
	for _, tc := range []struct {
		name   string
		srv    *kk.Server
		status string
	}{
		{"MaxConns", &kk.Server{MaxConns: 2}, "HTTP/1.1 503 Service Unavailable"},
		{"MaxConnsPerIP", &kk.Server{MaxConnsPerIP: 2}, "HTTP/1.1 429 Too Many Requests"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := tc.srv
			srv.Listener, srv.Router, srv.Logger = loopback(t), kk.New(table(nil)), slog.New(slog.DiscardHandler)
			startRun(t, srv)
			for i := range 2 { // two keep-alive connections, held open
				c, err := net.Dial("tcp", srv.Stats().Addr)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				fmt.Fprint(c, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
				if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil || resp.StatusCode != 204 {
					t.Fatalf("connection %d: %v %v", i, resp, err)
				}
			}
			c, err := net.Dial("tcp", srv.Stats().Addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			answer, _ := io.ReadAll(c) // answered and closed without a request
			if !strings.HasPrefix(string(answer), tc.status+"\r\n") || !strings.Contains(string(answer), "Connection: close") {
				t.Errorf("third connection got %q, want %s", answer, tc.status)
			}
		})
	}
}

// TestUnixSocket serves on a unix socket given as the Listener.
func TestUnixSocket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kk.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	var logs logBuffer
	srv := &kk.Server{Listener: ln, Router: kk.New(table(nil)), Logger: logs.logger()}
	run := startRun(t, srv)
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", path)
	}}}
	if st, _, _ := send(t, hc, "GET", "http://unix/hello", nil); st != 204 {
		t.Errorf("GET /hello over a unix socket: %d", st)
	}
	hc.CloseIdleConnections()
	if err := run.stop(t); err != nil {
		t.Errorf("Run: %v", err)
	}
	if !strings.Contains(logs.String(), "addr="+path+" network=unix") {
		t.Errorf("log lacks the socket's path:\n%s", logs.String())
	}
}

// TestMaxHeaderSize: the default fits an 8 KiB cookie; past MaxHeaderSize
// the answer is a 431 problem.
func TestMaxHeaderSize(t *testing.T) {
	def := &kk.Server{Listener: loopback(t), Router: kk.New(table(nil)), Logger: slog.New(slog.DiscardHandler)}
	small := &kk.Server{Listener: loopback(t), Router: kk.New(table(nil)), MaxHeaderSize: 4 << 10,
		Logger: slog.New(slog.DiscardHandler)}
	startRun(t, def, small)
	cookie := "session=" + strings.Repeat("c", 8<<10)
	for _, tc := range []struct {
		srv    *kk.Server
		status int
	}{{def, 204}, {small, 431}} {
		req, _ := http.NewRequest("GET", url(tc.srv, "/hello"), nil)
		req.Header.Set("Cookie", cookie)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("8 KiB cookie, MaxHeaderSize %d: %d %s, want %d", tc.srv.MaxHeaderSize, resp.StatusCode, body, tc.status)
		}
		if tc.status == 431 && resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("431 with Content-Type %q", resp.Header.Get("Content-Type"))
		}
	}
}

// TestRunErrors: Run refuses bad servers, and when one cannot listen none
// serves.
func TestRunErrors(t *testing.T) {
	if err := kk.Run(context.Background()); err == nil {
		t.Error("Run with no servers: nil error")
	}
	if err := kk.Run(context.Background(), &kk.Server{Addr: "127.0.0.1:0"}); err == nil || !strings.Contains(err.Error(), "no Router") {
		t.Errorf("Run without a Router: %v", err)
	}
	taken := loopback(t)
	defer taken.Close()
	first := loopback(t)
	err := kk.Run(context.Background(),
		&kk.Server{Listener: first, Router: kk.New(table(nil))},
		&kk.Server{Addr: taken.Addr().String(), Router: kk.New(table(nil))})
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("Run with a taken address: %v", err)
	}
	if c, err := net.Dial("tcp", first.Addr().String()); err == nil {
		c.Close()
		t.Error("the other server's listener is still open after Run failed")
	}
}

// TestRunSameServerTwice is refused before anything listens.
func TestRunSameServerTwice(t *testing.T) {
	s := &kk.Server{Listener: loopback(t), Router: kk.New(table(nil))}
	if err := kk.Run(context.Background(), s, s); err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("Run(s, s) = %v", err)
	}
	s.Listener.Close()
}

// TestReadTimeout: a client that stalls mid-headers is answered 408 (a
// problem body) once ReadTimeout has passed, and its connection closed.
func TestReadTimeout(t *testing.T) {
	srv := &kk.Server{Listener: loopback(t), Router: kk.New(table(nil)), ReadTimeout: 300 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler)}
	startRun(t, srv)
	c, err := net.Dial("tcp", srv.Stats().Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	begin := time.Now()
	fmt.Fprint(c, "GET /hello HTTP/1.1\r\nHost: x\r\n") // and never the blank line
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	answer, _ := io.ReadAll(c)
	took := time.Since(begin)
	if !strings.HasPrefix(string(answer), "HTTP/1.1 408 ") || !strings.Contains(string(answer), "application/problem+json") {
		t.Errorf("stalled headers: %q", answer)
	}
	if took < 250*time.Millisecond || took > 3*time.Second {
		t.Errorf("answered after %v; ReadTimeout is 300ms", took)
	}
}
