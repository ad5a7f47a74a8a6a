// Command streams measures kk's streamed bodies and event streams over
// loopback, each server in a process of its own whose memory is read from
// /proc:
//
//   - a 1 GiB upload to an io.Reader route and a 1 GiB download of an
//     io.Reader result: throughput and the server's peak RSS (VmHWM), for
//     kk, a hand-written fasthttp streaming handler and net/http, run
//     interleaved, -reps times each;
//   - 10,000 concurrent event streams on kk: the server's memory per open
//     stream, and the time from one broadcast to its event reaching every
//     client.
//
// go run ./streams [-size 1GiB] [-reps 3] [-streams 10000]
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/bench/streams/kkapp"
	"github.com/kommandkit/kk/bench/streams/source"
	kk "github.com/kommandkit/kk/runtime"
)

func main() {
	size := flag.Int64("size", 1<<30, "bytes per upload and download")
	reps := flag.Int("reps", 3, "transfers per server and direction")
	streams := flag.Int("streams", 10000, "concurrent event streams")
	flag.Parse()
	raiseFileLimit()
	serveIfChild()
	fmt.Printf("streams benchmark: %s/%s, %d CPUs, Go %s\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	if err := transfers(*size, *reps); err != nil {
		log.Fatal(err)
	}
	if *streams > 0 {
		if err := eventStreams(*streams); err != nil {
			log.Fatal(err)
		}
	}
}

func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}

// serveEnv names the server a child process runs: kk, fasthttp or nethttp.
const serveEnv = "KK_STREAMS_BENCH_SERVE"

// serveIfChild serves and exits when this process is a child server.
func serveIfChild() {
	if which := os.Getenv(serveEnv); which != "" {
		if err := runServer(which); err != nil {
			log.Fatal(err)
		}
		os.Exit(0)
	}
}

// runServer serves one of the three servers on a loopback port, prints
// "listening ADDR" and serves until stdin closes.
func runServer(which string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { io.Copy(io.Discard, os.Stdin); cancel() }()
	fmt.Printf("listening %s\n", ln.Addr())
	switch which {
	case "kk":
		return kk.Serve(ctx, ln, kkapp.NewRouter())
	case "fasthttp":
		s := &fasthttp.Server{Handler: fasthttpHandler, StreamRequestBody: true, MaxRequestBodySize: 4 << 20}
		go func() { <-ctx.Done(); s.Shutdown() }()
		return s.Serve(ln)
	case "nethttp":
		s := &http.Server{Handler: http.HandlerFunc(netHTTPHandler)}
		go func() { <-ctx.Done(); s.Close() }()
		if err := s.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
	return fmt.Errorf("unknown server %q", which)
}

// fasthttpHandler is what a fasthttp user writes for the same routes.
func fasthttpHandler(ctx *fasthttp.RequestCtx) {
	switch string(ctx.Path()) {
	case "/upload":
		n, err := io.Copy(io.Discard, ctx.RequestBodyStream())
		if err != nil {
			ctx.Error(err.Error(), 400)
			return
		}
		fmt.Fprint(ctx, n)
	case "/download":
		size, _ := strconv.ParseInt(string(ctx.QueryArgs().Peek("size")), 10, 64)
		ctx.SetBodyStream(source.New(size), -1)
	default:
		ctx.Error("not found", 404)
	}
}

// netHTTPHandler is what a net/http user writes for the same routes.
func netHTTPHandler(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/upload":
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		fmt.Fprint(w, n)
	case "/download":
		size, _ := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64)
		io.Copy(w, source.New(size))
	default:
		http.NotFound(w, r)
	}
}

// child is a server process.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	addr  string
}

func startChild(which string) (*child, error) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), serveEnv+"="+which)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if err != nil || !ok {
		cmd.Process.Kill()
		return nil, fmt.Errorf("%s server said %q: %v", which, line, err)
	}
	return &child{cmd: cmd, stdin: stdin, addr: addr}, nil
}

func (c *child) stop() {
	c.stdin.Close()
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-done
	}
}

// mem is a memory figure of /proc/PID/status in bytes: VmRSS, VmHWM.
func (c *child) mem(field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// plainWriter hides io.ReaderFrom, so copies go through our buffer.
type plainWriter struct{ w io.Writer }

func (p plainWriter) Write(b []byte) (int, error) { return p.w.Write(b) }

type counter struct{ n int64 }

func (c *counter) Write(b []byte) (int, error) { c.n += int64(len(b)); return len(b), nil }

// upload sends size bytes with a Content-Length over a raw connection,
// 256 KiB per write, and reads the answer.
func upload(addr string, size int64) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /upload HTTP/1.1\r\nHost: bench\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n", size)
	if _, err := io.CopyBuffer(plainWriter{conn}, source.New(size), make([]byte, 256<<10)); err != nil {
		return err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(b) != fmt.Sprint(size) {
		return fmt.Errorf("upload answered %d %q", resp.StatusCode, b)
	}
	return nil
}

// download reads size bytes over a raw connection, 256 KiB at a time.
func download(addr string, size int64) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /download?size=%d HTTP/1.1\r\nHost: bench\r\n\r\n", size)
	resp, err := http.ReadResponse(bufio.NewReaderSize(conn, 256<<10), nil)
	if err != nil {
		return err
	}
	var c counter
	if _, err := io.CopyBuffer(plainWriter{&c}, resp.Body, make([]byte, 256<<10)); err != nil {
		return err
	}
	if resp.StatusCode != 200 || c.n != size {
		return fmt.Errorf("download answered %d with %d bytes", resp.StatusCode, c.n)
	}
	return nil
}

type result struct {
	server, dir string
	secs        []float64
	hwm         []int64
}

// transfers runs every server and direction reps times, interleaved, each
// transfer on a fresh server process so its VmHWM is that transfer's.
func transfers(size int64, reps int) error {
	servers := []string{"kk", "fasthttp", "nethttp"}
	dirs := []string{"upload", "download"}
	results := map[string]*result{}
	for rep := range reps {
		for _, dir := range dirs {
			for _, s := range servers {
				ch, err := startChild(s)
				if err != nil {
					return err
				}
				start := time.Now()
				if dir == "upload" {
					err = upload(ch.addr, size)
				} else {
					err = download(ch.addr, size)
				}
				took := time.Since(start)
				hwm := ch.mem("VmHWM")
				ch.stop()
				if err != nil {
					return fmt.Errorf("%s %s: %w", s, dir, err)
				}
				k := dir + "/" + s
				if results[k] == nil {
					results[k] = &result{server: s, dir: dir}
				}
				results[k].secs = append(results[k].secs, took.Seconds())
				results[k].hwm = append(results[k].hwm, hwm)
				fmt.Fprintf(os.Stderr, "rep %d %-8s %-8s %6.2f GB/s  peak RSS %5.1f MiB\n", rep+1, dir, s, float64(size)/took.Seconds()/1e9, float64(hwm)/(1<<20))
			}
		}
	}
	fmt.Printf("%d MiB per transfer over loopback, %d interleaved reps; median throughput, peak RSS of the server process (VmHWM, the largest of the reps)\n\n", size>>20, reps)
	fmt.Println("| direction | server | throughput | vs kk | peak RSS |")
	fmt.Println("|---|---|---:|---:|---:|")
	for _, dir := range dirs {
		kkRate := 0.0
		for _, s := range servers {
			r := results[dir+"/"+s]
			rate := float64(size) / median(r.secs) / 1e9
			if s == "kk" {
				kkRate = rate
			}
			peak := int64(0)
			for _, h := range r.hwm {
				peak = max(peak, h)
			}
			fmt.Printf("| %s | %s | %.2f GB/s | %.2fx | %.1f MiB |\n", dir, s, rate, rate/kkRate, float64(peak)/(1<<20))
		}
	}
	fmt.Println()
	return nil
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// eventStreams opens n event streams on kk, measures the server's memory
// per stream, then times broadcasts reaching every client.
func eventStreams(n int) error {
	ch, err := startChild("kk")
	if err != nil {
		return err
	}
	defer ch.stop()
	time.Sleep(200 * time.Millisecond)
	base := ch.mem("VmRSS")

	var got atomic.Int64
	round := make(chan struct{}, n)
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	ready := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		conn, err := net.Dial("tcp", ch.addr)
		if err != nil {
			return fmt.Errorf("stream %d: %w", i, err)
		}
		conns = append(conns, conn)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Fprint(conn, "GET /events HTTP/1.1\r\nHost: bench\r\n\r\n")
			br := bufio.NewReaderSize(conn, 1024)
			sawReady := false
			for {
				l, err := br.ReadSlice('\n')
				if err != nil {
					if !sawReady {
						ready <- err
					}
					return
				}
				switch {
				case bytes.HasPrefix(l, []byte("data: ready")):
					sawReady = true
					ready <- nil
				case bytes.HasPrefix(l, []byte("data: go")):
					got.Add(1)
					round <- struct{}{}
				}
			}
		}()
		if i%500 == 499 {
			time.Sleep(10 * time.Millisecond) // do not flood the accept queue
		}
	}
	for i := range n {
		if err := <-ready; err != nil {
			return fmt.Errorf("stream %d: %w", i, err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for kkOpened(ch.addr) < n && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	open := ch.mem("VmRSS")
	perStream := float64(open-base) / float64(n)

	var rounds []time.Duration
	for r := range 5 {
		start := time.Now()
		resp, err := http.Post("http://"+ch.addr+"/fire?data=go", "text/plain", nil)
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != fmt.Sprint(n) {
			return fmt.Errorf("round %d: fire reached %s streams, want %d", r, b, n)
		}
		timeout := time.After(30 * time.Second)
		for range n {
			select {
			case <-round:
			case <-timeout:
				return fmt.Errorf("round %d: only %d of %d events arrived", r, got.Load(), n)
			}
		}
		rounds = append(rounds, time.Since(start))
		time.Sleep(200 * time.Millisecond)
	}
	secs := make([]float64, len(rounds))
	for i, d := range rounds {
		secs[i] = d.Seconds()
	}
	fmt.Printf("%d concurrent event streams on kk (one client process, loopback)\n\n", n)
	fmt.Println("| measure | value |")
	fmt.Println("|---|---:|")
	fmt.Printf("| server RSS before the streams | %.1f MiB |\n", float64(base)/(1<<20))
	fmt.Printf("| server RSS with %d streams open | %.1f MiB |\n", n, float64(open)/(1<<20))
	fmt.Printf("| memory per open stream | %.1f KiB |\n", perStream/1024)
	fmt.Printf("| one event to all %d streams, median of %d broadcasts | %v |\n", n, len(rounds), time.Duration(median(secs)*1e9).Round(time.Millisecond))
	fmt.Printf("| the same, slowest broadcast | %v |\n", slowest(rounds).Round(time.Millisecond))
	return nil
}

func slowest(ds []time.Duration) time.Duration {
	m := time.Duration(0)
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}

// kkOpened asks the server how many streams wait for a broadcast (a fire
// with no data would send an event; this reads the count instead).
func kkOpened(addr string) int {
	resp, err := http.Get("http://" + addr + "/opened")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	n, _ := strconv.Atoi(string(b))
	return n
}
