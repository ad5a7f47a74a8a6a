package kk

import (
	"context"
	"net"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/internal/edge"
)

// BenchmarkEdgeOverhead measures what the edge costs a whole request over
// a loopback socket: the same router and limits served with the edge
// (kk's fasthttp.Server on kk's listener, as Run serves) and without it (its handler,
// Expect handling and connection wrapper left out). The two servers run
// side by side and take turns, in rounds of 4,000 requests from 8
// keep-alive clients, and each round is charged the process's CPU time
// (user + system, client included), which a busy machine disturbs far
// less than wall time. It reports the medians:
//
//	go test ./runtime -run '^$' -bench EdgeOverhead -benchtime 1x
func BenchmarkEdgeOverhead(b *testing.B) {
	routes := Table{
		Routes:  []Route{{Method: "GET", Pattern: "/hello", Name: "Hello", Handler: func(c *Ctx) error { return Text(c, "hello") }}},
		Methods: []string{"GET"},
		Match: func(method string, p []byte, _ *Params) int {
			if method == "GET" && string(p) == "/hello" {
				return 0
			}
			return -1
		},
	}
	start := func(withEdge bool) (*fasthttp.HostClient, func()) {
		r := New(routes)
		s := (&Server{Router: r}).fasthttp(r.Handler())
		s.ConnState = nil // no shutdown through kk here
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		if withEdge {
			go func() { done <- s.Serve(edge.Listener{Listener: ln}) }()
		} else {
			s.Handler, s.ExpectHandler = r.Handler(), nil
			go func() { done <- s.Serve(ln) }()
		}
		go func() { <-ctx.Done(); s.Shutdown() }()
		return &fasthttp.HostClient{Addr: ln.Addr().String(), MaxConns: 8, ReadTimeout: 5 * time.Second},
			func() { cancel(); <-done }
	}
	edgeClient, stopEdge := start(true)
	defer stopEdge()
	bareClient, stopBare := start(false)
	defer stopBare()

	const rounds, perRound, clients = 12, 4000, 8
	round := func(hc *fasthttp.HostClient) float64 {
		before := cpu()
		var wg sync.WaitGroup
		for range clients {
			wg.Go(func() {
				req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
				defer fasthttp.ReleaseRequest(req)
				defer fasthttp.ReleaseResponse(resp)
				req.SetRequestURI("http://kk/hello")
				for range perRound / clients {
					if err := hc.Do(req, resp); err != nil || resp.StatusCode() != 200 {
						b.Errorf("%v %d", err, resp.StatusCode())
						return
					}
				}
			})
		}
		wg.Wait()
		return float64(cpu()-before) / perRound
	}
	round(edgeClient) // warm both
	round(bareClient)
	var withEdge, without []float64
	for i := range rounds {
		if i%2 == 0 {
			withEdge, without = append(withEdge, round(edgeClient)), append(without, round(bareClient))
		} else {
			without, withEdge = append(without, round(bareClient)), append(withEdge, round(edgeClient))
		}
	}
	e, w := median(withEdge), median(without)
	b.ReportMetric(e, "edge-cpu-ns/req")
	b.ReportMetric(w, "bare-cpu-ns/req")
	b.ReportMetric(e/w, "edge/bare")
}

// cpu is the process's user and system CPU time so far, in ns.
func cpu() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
