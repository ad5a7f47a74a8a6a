package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
)

// work is the busy servers' handler: about a millisecond of hashing.
var (
	workBuf    = make([]byte, 64<<10)
	workRounds = 1
)

func work() {
	for range workRounds {
		sha256.Sum256(workBuf)
	}
}

// calibrate sets workRounds so that work takes about d on this machine,
// before any load.
func calibrate(d time.Duration) {
	start := time.Now()
	const probe = 50
	for range probe {
		sha256.Sum256(workBuf)
	}
	workRounds = max(1, int(d*probe/time.Since(start)))
}

func isolationServer() error {
	calibrate(time.Millisecond)
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	quick := func(c *kk.Ctx) error { return kk.Text(c, "ok") }
	heavy := func(c *kk.Ctx) error { work(); return kk.Text(c, "done") }
	var servers []*kk.Server
	for _, s := range []*kk.Server{
		{Router: router(map[string]kk.Handler{"/": quick})},                 // quiet
		{Router: router(map[string]kk.Handler{"/": heavy})},                 // busy, no cap
		{Router: router(map[string]kk.Handler{"/": heavy}), Concurrency: 1}, // busy, capped
	} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		s.Listener, s.Logger = ln, logger
		servers = append(servers, s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- kk.Run(ctx, servers...) }()
	var list []string
	for _, s := range servers {
		list = append(list, s.Listener.Addr().String())
	}
	cmd := child("isolation", "-addrs", strings.Join(list, ","), "-phase", phase.String(),
		"-rate", fmt.Sprint(*rate), "-busy-clients", fmt.Sprint(*busyN), "-reps", fmt.Sprint(*reps))
	out, err := cmd.Output()
	cancel()
	if rerr := <-done; err == nil {
		err = rerr
	}
	if err != nil {
		return err
	}
	var phases []phaseResult
	if err := json.Unmarshal(out, &phases); err != nil {
		return fmt.Errorf("load process: %v: %s", err, out)
	}
	fmt.Printf("busy handler: %d rounds of SHA-256 over 64 KiB (calibrated to about 1 ms at start); quiet server at %d req/s; %d closed-loop clients on the busy server; %v per phase\n\n",
		workRounds, *rate, *busyN, *phase)
	fmt.Println("| phase | quiet p50 | quiet p99 | quiet max | quiet answered | busy 200/s | busy 503/s |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	for _, p := range phases {
		fmt.Printf("| %s | %v | %v | %v | %d/%d | %.0f | %.0f |\n", p.Name, p.P50, p.P99, p.Max, p.OK, p.Sent, p.BusyOK, p.Busy503)
	}
	return nil
}

type phaseResult struct {
	Name          string
	Sent, OK      int
	P50, P99, Max time.Duration
	BusyOK        float64 // per second
	Busy503       float64
}

func isolationClient() error {
	a := strings.Split(*addrs, ",")
	quiet, uncapped, capped := a[0], a[1], a[2]
	var results []phaseResult
	for rep := range *reps { // interleaved, so that a noisy moment hits all phases alike
		for _, ph := range []struct{ name, busy string }{
			{"quiet server alone", ""},
			{"busy server saturated, no Concurrency cap", uncapped},
			{"busy server saturated, Concurrency: 1", capped},
		} {
			results = append(results, runPhase(fmt.Sprintf("%d: %s", rep+1, ph.name), quiet, ph.busy))
		}
	}
	return json.NewEncoder(os.Stdout).Encode(results)
}

// runPhase measures the quiet server at a fixed rate for one phase while
// busy (if any) is saturated by closed-loop clients, which back off 5 ms
// after a 503 as a client honouring it would.
func runPhase(name, quiet, busy string) phaseResult {
	stop := make(chan struct{})
	var busyOK, busy503 atomic.Int64
	var wg sync.WaitGroup
	if busy != "" {
		bc := &fasthttp.HostClient{Addr: busy, MaxConns: *busyN}
		for range *busyN {
			wg.Go(func() {
				req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
				req.SetRequestURI("http://" + busy + "/")
				for {
					select {
					case <-stop:
						return
					default:
					}
					if err := bc.DoTimeout(req, resp, 10*time.Second); err != nil {
						continue
					}
					if resp.StatusCode() == 503 {
						busy503.Add(1)
						time.Sleep(5 * time.Millisecond)
					} else {
						busyOK.Add(1)
					}
				}
			})
		}
		time.Sleep(500 * time.Millisecond) // let it saturate
	}
	qc := &fasthttp.HostClient{Addr: quiet, MaxConns: 256}
	total := int(phase.Seconds() * float64(*rate))
	lat := make([]time.Duration, total)
	ok := make([]bool, total)
	var qwg sync.WaitGroup
	startOK, start503 := busyOK.Load(), busy503.Load()
	start := time.Now()
	for i := range total {
		at := start.Add(time.Duration(i) * time.Second / time.Duration(*rate))
		time.Sleep(time.Until(at))
		qwg.Go(func() {
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			req.SetRequestURI("http://" + quiet + "/")
			err := qc.DoTimeout(req, resp, 10*time.Second)
			lat[i] = time.Since(at) // from when it was due: no coordinated omission
			ok[i] = err == nil && resp.StatusCode() == 200
		})
	}
	qwg.Wait()
	elapsed := time.Since(start).Seconds()
	r := phaseResult{Name: name, Sent: total,
		BusyOK: float64(busyOK.Load()-startOK) / elapsed, Busy503: float64(busy503.Load()-start503) / elapsed}
	close(stop)
	wg.Wait()
	for _, o := range ok {
		if o {
			r.OK++
		}
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		return lat[min(len(lat)-1, int(p*float64(len(lat))))].Round(10 * time.Microsecond)
	}
	r.P50, r.P99, r.Max = q(0.5), q(0.99), lat[len(lat)-1].Round(10*time.Microsecond)
	return r
}
