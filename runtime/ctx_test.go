package kk_test

import (
	"bufio"
	"fmt"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	kk "github.com/kommandkit/kk/runtime"
)

// reuseRouter serves the three route shapes whose cost per request must be
// nothing but CPU: GET /hello (static), GET /items/:id (the id decoded as
// an int64) and POST /items/:id (the id taken as a []byte view).
func reuseRouter(tb testing.TB) *kk.Router {
	return kk.New(table(map[string]kk.Handler{
		"Hello": func(c *kk.Ctx) error { return kk.NoContent(c) },
		"GetItem": func(c *kk.Ctx) error {
			id, err := kk.ParseInt(kk.InPath, "id", kk.ParamAt(c, 0), 64)
			if err != nil {
				return err
			}
			if id != 42 {
				tb.Errorf("id = %d, want 42", id)
			}
			return kk.Text(c, "ok")
		},
		"PostItem": func(c *kk.Ctx) error {
			if string(c.ParamBytes("id")) != "abc" {
				tb.Errorf("id = %q, want abc", c.ParamBytes("id"))
			}
			return kk.Bytes(c, c.ParamBytes("id"))
		},
	}))
}

// reuseCases are the requests reuseRouter serves, with the status each
// must answer.
var reuseCases = []struct {
	name, method, uri string
	status            int
}{
	{"static", "GET", "/hello", fasthttp.StatusNoContent},
	{"int-param", "GET", "/items/42", fasthttp.StatusOK},
	{"bytes-param", "POST", "/items/abc", fasthttp.StatusOK},
}

// preparedCtxs is n RequestCtx values for one request each, their URIs
// parsed already, as a server with n connections hands them to a handler.
func preparedCtxs(n int, method, uri string) []*fasthttp.RequestCtx {
	rcs := make([]*fasthttp.RequestCtx, n)
	for i := range rcs {
		rc := new(fasthttp.RequestCtx)
		rc.Request.Header.SetMethod(method)
		rc.Request.SetRequestURI(uri)
		rc.URI()
		rcs[i] = rc
	}
	return rcs
}

// TestCtxReuseAllocs serves each route shape round robin on 1, 64, 1,000
// and 4,096 distinct RequestCtx (one per connection, as fasthttp keeps
// them) and asserts that no request allocates, however many connections
// take turns.
func TestCtxReuseAllocs(t *testing.T) {
	h := reuseRouter(t).Handler()
	for _, tc := range reuseCases {
		for _, n := range []int{1, 64, 1000, 4096} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, n), func(t *testing.T) {
				rcs := preparedCtxs(n, tc.method, tc.uri)
				pass := func() {
					for _, rc := range rcs {
						rc.Response.Reset()
						h(rc)
					}
				}
				pass()
				for _, rc := range rcs {
					if s := rc.Response.StatusCode(); s != tc.status {
						t.Fatalf("%s %s = %d %s, want %d", tc.method, tc.uri, s, rc.Response.Body(), tc.status)
					}
				}
				if allocs := testing.AllocsPerRun(20, pass); allocs != 0 {
					t.Errorf("%v allocations per pass of %d requests, want 0", allocs, n)
				}
			})
		}
	}
}

// BenchmarkCtxReuse is TestCtxReuseAllocs timed: ns and allocs per request
// at each connection count.
func BenchmarkCtxReuse(b *testing.B) {
	h := reuseRouter(b).Handler()
	for _, tc := range reuseCases {
		for _, n := range []int{1, 64, 1000, 4096} {
			b.Run(fmt.Sprintf("%s/conns=%d", tc.name, n), func(b *testing.B) {
				rcs := preparedCtxs(n, tc.method, tc.uri)
				for _, rc := range rcs { // each RequestCtx's first response takes a body buffer
					h(rc)
				}
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					rc := rcs[i]
					rc.Response.Reset()
					h(rc)
					if i++; i == n {
						i = 0
					}
				}
			})
		}
	}
}

// TestDroppedConnectionsLeaveNoHeap serves 5,000 connections, 1,000 open
// at a time, each posting a 64 KiB body, through a real fasthttp server on
// an in-memory listener, closes them all, and asserts that the heap in use
// after garbage collection has grown by less than 8 MiB: nothing the
// router keeps between requests may hold on to a RequestCtx (whose body
// buffer keeps its peak size) once its connection is gone.
func TestDroppedConnectionsLeaveNoHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("serves 320 MiB of request bodies")
	}
	const (
		conns    = 5000
		parallel = 1000
		bodySize = 64 << 10
		limit    = 8 << 20
	)
	r := kk.New(table(map[string]kk.Handler{
		"PostItem": func(c *kk.Ctx) error {
			return kk.Text(c, fmt.Sprint(len(c.PostBody())))
		},
	}))
	// No read or write timeouts: on the in-memory pipe they are timers that
	// stay on the timer heap, with their pipes, until they would fire, which
	// would measure the listener rather than the router.
	s := &fasthttp.Server{Handler: r.Handler()}
	ln := fasthttputil.NewInmemoryListener()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	defer func() {
		if err := s.Shutdown(); err != nil {
			t.Error(err)
		}
		if err := <-served; err != nil {
			t.Error(err)
		}
	}()

	req := []byte(fmt.Sprintf("POST /items/7 HTTP/1.1\r\nHost: kk\r\nContent-Length: %d\r\n\r\n%s",
		bodySize, strings.Repeat("x", bodySize)))
	want := fmt.Sprint(bodySize)
	wave := func(n int) error {
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			first error
			open  = make([]net.Conn, n)
		)
		for i := range open {
			wg.Go(func() {
				err := func() error {
					c, err := ln.Dial()
					if err != nil {
						return err
					}
					open[i] = c
					if _, err := c.Write(req); err != nil {
						return err
					}
					var resp fasthttp.Response
					if err := resp.Read(bufio.NewReader(c)); err != nil {
						return err
					}
					if resp.StatusCode() != 200 || string(resp.Body()) != want {
						return fmt.Errorf("got %d %q, want 200 %q", resp.StatusCode(), resp.Body(), want)
					}
					return nil
				}()
				if err != nil {
					mu.Lock()
					first = err
					mu.Unlock()
				}
			})
		}
		wg.Wait() // every connection of the wave is open and served at once
		for _, c := range open {
			if c != nil {
				c.Close()
			}
		}
		return first
	}
	settle := func() {
		for deadline := time.Now().Add(10 * time.Second); s.GetOpenConnectionsCount() != 0; {
			if time.Now().After(deadline) {
				t.Fatalf("%d connections still open", s.GetOpenConnectionsCount())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	heap := func() (inuse, alloc uint64) {
		var ms runtime.MemStats
		for range 3 { // sync.Pool keeps what it drops for one more cycle
			runtime.GC()
		}
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse, ms.HeapAlloc
	}

	if err := wave(8); err != nil { // warm up the server and the router
		t.Fatal(err)
	}
	settle()
	inuse0, alloc0 := heap()
	start := time.Now()
	for done := 0; done < conns; done += parallel {
		if err := wave(parallel); err != nil {
			t.Fatal(err)
		}
	}
	settle()
	inuse1, alloc1 := heap()
	grew := int64(inuse1) - int64(inuse0)
	t.Logf("%d connections with %d KiB bodies in %v: heap in use %.1f → %.1f MiB (%+.1f), live %.1f → %.1f MiB",
		conns, bodySize>>10, time.Since(start).Round(time.Millisecond),
		mib(inuse0), mib(inuse1), float64(grew)/(1<<20), mib(alloc0), mib(alloc1))
	if grew >= limit {
		t.Errorf("heap in use grew by %.1f MiB after the connections were dropped, want < %d MiB",
			float64(grew)/(1<<20), limit>>20)
	}
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }
