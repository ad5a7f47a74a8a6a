// Package kkws is the kk side of the WebSocket benchmark (bench/ws): an
// echo route, a hub to broadcast to, a deliberately stalled member, and
// the server's own numbers.
package kkws

//go:generate go run github.com/kommandkit/kk/cmd/kkgen

import (
	"context"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// Echo answers every message with itself.
//
//kk:route GET /echo
func Echo(ctx context.Context, ws *kk.WebSocket) error {
	for {
		kind, data, err := ws.ReadMessage()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := ws.WriteMessage(kind, data); err != nil {
			return err
		}
	}
}

// Members is the hub /broadcast sends to.
var Members kk.Hub

// Join holds a hub member until it goes.
//
//kk:route GET /hub
func Join(ctx context.Context, ws *kk.WebSocket) error {
	Members.Join(ws)
	<-ctx.Done()
	return nil
}

// Stalled joins the hub, then fills its own socket with data the client
// never reads, so the next broadcast finds its socket full: the stalled
// client of the measurement.
//
//kk:route GET /stalled
func Stalled(ctx context.Context, ws *kk.WebSocket) error {
	Members.Join(ws)
	junk := make([]byte, 64<<10)
	for {
		if err := ws.WriteMessage(kk.BinaryMessage, junk); err != nil {
			return err
		}
	}
}

// BroadcastResult is what /broadcast reports.
type BroadcastResult struct {
	Members int     `json:"members"`
	Failed  int     `json:"failed"`
	TookMS  float64 `json:"took_ms"` // until every write finished or failed
	UserMS  float64 `json:"user_ms"` // the server's CPU time meanwhile, in user space,
	SysMS   float64 `json:"sys_ms"`  // and in the kernel: the fan-out's cost
}

func cpuTime() (user, sys time.Duration) {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}

// Broadcast sends one 100-byte text message to every member.
//
//kk:route GET /broadcast
func Broadcast() BroadcastResult {
	msg := strings.Repeat(".", 100)
	n := Members.Len()
	start := time.Now()
	user, sys := cpuTime()
	failed := Members.BroadcastText(msg)
	user2, sys2 := cpuTime()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return BroadcastResult{Members: n, Failed: len(failed), TookMS: ms(time.Since(start)), UserMS: ms(user2 - user), SysMS: ms(sys2 - sys)}
}

// Stats is the server's memory and goroutines.
//
//kk:route GET /stats
func Stats() ServerStats { return ReadStats() }

// HeapProfile writes a heap profile to path (bench/ws -heapprofile).
//
//kk:route GET /heapprofile
func HeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	return pprof.Lookup("heap").WriteTo(f, 0)
}

// ServerStats is shared by the three servers of the benchmark.
type ServerStats struct {
	RSS        int64  `json:"rss"` // resident set, bytes
	HeapInuse  uint64 `json:"heap_inuse"`
	StackInuse uint64 `json:"stack_inuse"`
	Goroutines int    `json:"goroutines"`
}

// ReadStats collects ServerStats after a GC, so the heap is what is live.
func ReadStats() ServerStats {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ServerStats{RSS: rss(), HeapInuse: ms.HeapInuse, StackInuse: ms.StackInuse, Goroutines: runtime.NumGoroutine()}
}

func rss() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
