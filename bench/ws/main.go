// Command ws measures kk's WebSocket routes on loopback, side by side in one
// run with a hand-written fasthttp/websocket server and gorilla/websocket on
// net/http, each server in its own process (bench/ws/server):
//
//   - echo: round trips per second, -conns clients each sending a 32-byte
//     message and waiting for it to come back, for -dur;
//   - idle: -idle connections held open: the server's RSS, heap and stacks
//     per connection, and its goroutines per connection;
//   - broadcast (kk only: the others have no hub): a 100-byte message to
//     -idle clients of a kk.Hub with one deliberately stalled member, the
//     time from the request until the last client has it.
//
// Run it with bench/ws/run.sh, which raises the open-files limit.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	gws "github.com/gorilla/websocket"

	"github.com/kommandkit/kk/bench/ws/kkws"
)

var (
	conns  = flag.Int("conns", 32, "echo: concurrent clients")
	dur    = flag.Duration("dur", 3*time.Second, "echo: duration of one measurement")
	rounds = flag.Int("rounds", 3, "measurements per server, interleaved; the median is reported")
	idle   = flag.Int("idle", 10000, "idle and broadcast: connections")
	impls  = flag.String("impls", "kk,fasthttp,gorilla", "servers to compare")
	heap   = flag.String("heapprofile", "", "write the kk server's heap profile with the idle connections open to this file")
)

func main() {
	flag.Parse()
	var lim syscall.Rlimit
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	if need := uint64(*idle + 1000); lim.Cur < need {
		log.Fatalf("open-files limit %d < %d: run bench/ws/run.sh, which raises it", lim.Cur, need)
	}
	bin := filepath.Join(os.TempDir(), "kk-bench-ws-server")
	if out, err := exec.Command("go", "build", "-o", bin, "./ws/server").CombinedOutput(); err != nil {
		log.Fatalf("building the server: %v\n%s", err, out)
	}
	names := strings.Split(*impls, ",")
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("machine: %d CPUs (GOMAXPROCS %d), load average at start %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), strings.Join(strings.Fields(string(load))[:3], " "))

	fmt.Printf("## echo: %d clients, 32-byte messages, %v per measurement, median of %d\n\n", *conns, *dur, *rounds)
	rts := map[string][]float64{}
	for r := 0; r < *rounds; r++ {
		for _, impl := range names {
			s := start(bin, impl)
			rts[impl] = append(rts[impl], echo(s.addr))
			s.stop()
		}
	}
	fmt.Println("| server | round trips/s | vs fasthttp/websocket |")
	fmt.Println("|---|---:|---:|")
	for _, impl := range names {
		fmt.Printf("| %s | %.0f | %.2f× |\n", impl, median(rts[impl]), median(rts[impl])/median(rts["fasthttp"]))
	}

	fmt.Printf("\n## idle: %d connections held open\n\n", *idle)
	fmt.Println("| server | RSS/conn | heap/conn | stacks/conn | goroutines/conn |")
	fmt.Println("|---|---:|---:|---:|---:|")
	for _, impl := range names {
		s := start(bin, impl)
		before := s.stats()
		cs := dialMany(s.addr, "/echo", *idle)
		time.Sleep(time.Second)
		after := s.stats()
		if impl == "kk" && *heap != "" {
			abs, _ := filepath.Abs(*heap)
			resp, err := http.Get("http://" + s.addr + "/heapprofile?path=" + abs)
			if err == nil {
				resp.Body.Close()
			}
		}
		n := float64(len(cs))
		fmt.Printf("| %s | %.1f KiB | %.1f KiB | %.1f KiB | %.2f |\n", impl,
			float64(after.RSS-before.RSS)/n/1024, (float64(after.HeapInuse)-float64(before.HeapInuse))/n/1024,
			(float64(after.StackInuse)-float64(before.StackInuse))/n/1024, float64(after.Goroutines-before.Goroutines)/n)
		closeAll(cs)
		s.stop()
	}

	fmt.Printf("\n## broadcast: 100 bytes to %d kk.Hub members, one of them stalled (write timeout 2 s)\n\n", *idle)
	s := start(bin, "kk")
	defer s.stop()
	var got atomic.Int64
	recv := make([]atomic.Int64, *idle)
	cs := dialMany(s.addr, "/hub", *idle)
	for i, c := range cs {
		go func() {
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					return
				}
				recv[i].Store(time.Now().UnixNano())
				got.Add(1)
			}
		}()
	}
	fmt.Println("| round | last client has it | median client | server CPU for the fan-out (user + kernel) | broadcast call returned | failed |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	var lasts []float64
	for r := 0; r < *rounds; r++ {
		stalled := dialStalled(s.addr)
		time.Sleep(500 * time.Millisecond) // /stalled fills its socket meanwhile
		got.Store(0)
		t0 := time.Now()
		res := make(chan kkws.BroadcastResult, 1)
		go func() {
			var br kkws.BroadcastResult
			getJSON("http://"+s.addr+"/broadcast", &br)
			res <- br
		}()
		deadline := time.Now().Add(10 * time.Second)
		for got.Load() < int64(len(cs)) && time.Now().Before(deadline) {
			time.Sleep(100 * time.Microsecond)
		}
		lat := make([]float64, 0, len(cs))
		for i := range cs {
			lat = append(lat, float64(recv[i].Load()-t0.UnixNano())/1e6)
		}
		sort.Float64s(lat)
		br := <-res
		fmt.Printf("| %d | %.1f ms | %.1f ms | %.0f + %.0f ms | %.0f ms | %d of %d |\n", r+1, lat[len(lat)-1], lat[len(lat)/2], br.UserMS, br.SysMS, br.TookMS, br.Failed, br.Members)
		if got.Load() < int64(len(cs)) {
			fmt.Printf("(only %d of %d clients had it)\n", got.Load(), len(cs))
		}
		lasts = append(lasts, lat[len(lat)-1])
		stalled.Close()
	}
	load, _ = os.ReadFile("/proc/loadavg")
	fmt.Printf("\nmedian time until the last client has it: %.1f ms (load average at the end %s)\n", median(lasts), strings.Join(strings.Fields(string(load))[:3], " "))
	closeAll(cs)
}

type server struct {
	addr string
	cmd  *exec.Cmd
}

func start(bin, impl string) *server {
	cmd := exec.Command(bin, "-impl", impl)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		log.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		log.Fatalf("%s: %v", impl, err)
	}
	return &server{addr: strings.TrimSpace(strings.TrimPrefix(line, "listening ")), cmd: cmd}
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

func (s *server) stats() kkws.ServerStats {
	var st kkws.ServerStats
	getJSON("http://"+s.addr+"/stats", &st)
	return st
}

func getJSON(url string, v any) {
	resp, err := http.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		log.Fatalf("%s: %v", url, err)
	}
}

// echo runs the round-trip measurement and returns round trips per second.
func echo(addr string) float64 {
	cs := dialMany(addr, "/echo", *conns)
	defer closeAll(cs)
	msg := []byte(strings.Repeat("e", 32))
	var total atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := int64(0)
			for ctx.Err() == nil {
				if err := c.WriteMessage(gws.BinaryMessage, msg); err != nil {
					log.Fatal(err)
				}
				if _, _, err := c.ReadMessage(); err != nil {
					log.Fatal(err)
				}
				n++
			}
			total.Add(n)
		}()
	}
	wg.Wait()
	return float64(total.Load()) / time.Since(start).Seconds()
}

// dialMany opens n client connections to path, 64 handshakes at a time.
func dialMany(addr, path string, n int) []*gws.Conn {
	d := gws.Dialer{ReadBufferSize: 1024, WriteBufferSize: 1024, HandshakeTimeout: 30 * time.Second}
	cs := make([]*gws.Conn, n)
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	for i := range cs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			c, _, err := d.Dial("ws://"+addr+path, nil)
			if err != nil {
				log.Fatalf("dial %d: %v", i, err)
			}
			cs[i] = c
		}()
	}
	wg.Wait()
	return cs
}

// dialStalled connects a member that never reads, with a small receive
// buffer, so the server's writes to it soon block.
func dialStalled(addr string) io.Closer {
	d := gws.Dialer{NetDialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, a)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4096)
		}
		return c, err
	}}
	c, _, err := d.Dial("ws://"+addr+"/stalled", nil)
	if err != nil {
		log.Fatal(err)
	}
	return c
}

func closeAll(cs []*gws.Conn) {
	for _, c := range cs {
		_ = c.Close()
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
