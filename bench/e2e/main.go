// Command e2e is the end-to-end benchmark: it builds every server under
// ./servers, and for each repetition, workload and server (interleaved,
// in a rotating order) starts the server pinned to one core, checks its
// answers, drives it with wrk pinned to the other core, and stops it. It
// prints the median req/s and p99 latency per server and workload, each
// server's ratio to the hand-written fasthttp handler, and kk's ratio to
// net/http with chi, and writes every run to -raw.
//
// Run it with ./e2e/run.sh from bench/ (which installs wrk when missing):
//
//	./e2e/run.sh                      # defaults: 3 reps of 5 s per run
//	./e2e/run.sh -reps 5 -duration 10s -pipeline 16
//	./e2e/run.sh -icount 5000         # instructions per request, under callgrind
//	./e2e/run.sh -icount 5000 -icount-conns 1000   # ... taking turns on 1,000 connections
//	go run ./e2e -report results/e2e.tsv
//
// Load goes only to 127.0.0.1, and every run is bounded by -duration (or,
// with -icount, by the number of requests).
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kommandkit/kk/bench/e2e/workload"
)

// servers in report order; the first is the baseline of the ratios.
var allServers = []string{"fasthttp", "kk", "fasthttprouter", "fiber", "gin", "chi"}

// workloads: name, method, path, what the body must contain.
type work struct {
	Name, Method, Path, Want string
}

var allWorkloads = []work{
	{"plaintext", "GET", "/", workload.Hello},
	{"json", "GET", "/users/123", `{"id":123,"name":"Ada Lovelace","email":"ada@example.com"}`},
	{"echo", "POST", "/echo", workload.EchoBody},
}

type result struct {
	Server, Work string
	Rep          int
	RPS          float64
	P99          time.Duration
	CPU          float64 // server CPU time per wall second, in cores
	Errors       int
}

func main() {
	os.Exit(run())
}

func run() int {
	duration := flag.Duration("duration", 5*time.Second, "length of each measured wrk run")
	warmup := flag.Duration("warmup", time.Second, "unmeasured wrk run before each measured one")
	reps := flag.Int("reps", 3, "repetitions of every (workload, server) run")
	conns := flag.Int("c", 64, "wrk connections")
	threads := flag.Int("t", 1, "wrk threads")
	pipeline := flag.Int("pipeline", 1, "HTTP/1.1 requests wrk pipelines per connection (1: none)")
	serverCPU := flag.String("server-cpu", "1", "taskset CPU list for the server")
	clientCPU := flag.String("client-cpu", "0", "taskset CPU list for wrk")
	serversFlag := flag.String("servers", strings.Join(allServers, ","), "servers to run")
	worksFlag := flag.String("workloads", "plaintext,json,echo", "workloads to run")
	raw := flag.String("raw", "", "file to append every run to, as TSV (default: none)")
	from := flag.String("report", "", "run nothing; print the report for a -raw file")
	icount := flag.Int("icount", 0, "instead of wrk: run each server under callgrind and count its instructions per request over this many sequential keep-alive requests")
	icountConns := flag.Int("icount-conns", 1, "with -icount: keep-alive connections the requests take turns on, round robin")
	flag.Parse()
	if *from != "" {
		return reportFile(*from, strings.Split(*serversFlag, ","))
	}

	if *duration > 2*time.Minute || *reps > 20 {
		fmt.Fprintln(os.Stderr, "e2e: keep runs bounded: -duration at most 2m, -reps at most 20")
		return 2
	}
	tools := []string{"wrk", "taskset"}
	if *icount > 0 {
		tools = []string{"valgrind", "callgrind_control"}
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: %s not found (run ./e2e/run.sh, which installs wrk)\n", tool)
			return 1
		}
	}
	servers := strings.Split(*serversFlag, ",")
	var works []work
	for _, name := range strings.Split(*worksFlag, ",") {
		i := slices.IndexFunc(allWorkloads, func(w work) bool { return w.Name == name })
		if i < 0 {
			fmt.Fprintf(os.Stderr, "e2e: unknown workload %q\n", name)
			return 2
		}
		works = append(works, allWorkloads[i])
	}

	tmp, err := os.MkdirTemp("", "kk-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	fmt.Printf("building %d servers...\n", len(servers))
	for _, s := range servers {
		cmd := exec.Command("go", "build", "-o", filepath.Join(tmp, s), "./e2e/servers/"+s)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: building %s: %v (run from bench/)\n", s, err)
			return 1
		}
	}
	if *icount > 0 {
		return icountAll(tmp, servers, works, *icount, *icountConns)
	}
	scripts, err := writeScripts(tmp, *pipeline)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}

	fmt.Printf("%s, %s, wrk -t%d -c%d, pipeline %d, %v per run (+%v warm-up), %d reps; server on CPU %s, wrk on CPU %s\n",
		runtime.Version(), time.Now().UTC().Format("2006-01-02"), *threads, *conns, *pipeline, *duration, *warmup, *reps, *serverCPU, *clientCPU)
	var raww io.Writer = io.Discard
	if *raw != "" {
		f, err := os.OpenFile(*raw, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
		defer f.Close()
		raww = f
	}
	var results []result
	for rep := 1; rep <= *reps; rep++ {
		for wi, w := range works {
			// Rotate the server order so no server always runs first
			// or right after the same neighbour.
			k := (rep + wi) % len(servers)
			order := append(slices.Clone(servers[k:]), servers[:k]...)
			for _, s := range order {
				r, err := runOne(filepath.Join(tmp, s), s, w, scripts[w.Name], rep, *serverCPU, *clientCPU, *threads, *conns, *warmup, *duration)
				if err != nil {
					fmt.Fprintf(os.Stderr, "e2e: %s %s: %v\n", s, w.Name, err)
					return 1
				}
				fmt.Printf("rep %d %-9s %-15s %10.0f req/s  p99 %8v  server CPU %.2f  errors %d\n", rep, w.Name, s, r.RPS, r.P99, r.CPU, r.Errors)
				fmt.Fprintf(raww, "%s\t%s\t%d\t%.0f\t%d\t%.3f\t%d\n", r.Work, r.Server, r.Rep, r.RPS, r.P99.Microseconds(), r.CPU, r.Errors)
				results = append(results, r)
			}
		}
	}
	report(os.Stdout, results, servers, works)
	return 0
}

// icountAll prints, for every workload and server, the instructions the
// server executes per request (user space, all its threads, the garbage
// collector included), counted by callgrind over n sequential requests
// on one keep-alive connection after a warm-up: a measure no other load
// on the machine can move.
func icountAll(tmp string, servers []string, works []work, n, conns int) int {
	fmt.Printf("\ninstructions per request (callgrind, %d requests after %d warm-up, on %d connections)\n\n| workload | %s |\n|---|%s\n",
		n, warmups(n, conns), conns, strings.Join(servers, " | "), strings.Repeat("---:|", len(servers)))
	for _, w := range works {
		fmt.Printf("| %s |", w.Name)
		for _, s := range servers {
			v, err := icountOne(tmp, filepath.Join(tmp, s), s, w, n, conns)
			if err != nil {
				fmt.Fprintf(os.Stderr, "\ne2e: %s %s: %v\n", s, w.Name, err)
				return 1
			}
			fmt.Printf(" %.0f |", v)
		}
		fmt.Println()
	}
	return 0
}

// warmups is how many requests precede the counted ones: a tenth of them,
// and at least two on every connection.
func warmups(n, conns int) int { return max(n/10, 2*conns) }

func icountOne(tmp, bin, name string, w work, n, conns int) (float64, error) {
	addr, err := freeAddr()
	if err != nil {
		return 0, err
	}
	out := filepath.Join(tmp, "callgrind."+name+"."+w.Name)
	srv := exec.Command("valgrind", "--tool=callgrind", "--callgrind-out-file="+out, bin, "-addr", addr)
	srv.Env = append(os.Environ(), "GODEBUG=asyncpreemptoff=1")
	var serr bytes.Buffer
	srv.Stdout, srv.Stderr = &serr, &serr
	if err := srv.Start(); err != nil {
		return 0, err
	}
	defer stop(srv)
	if err := waitReady(addr, 60*time.Second); err != nil {
		return 0, fmt.Errorf("%v; output:\n%s", err, serr.String())
	}
	if err := check(addr, w); err != nil {
		return 0, err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}
	send := func(k int) error {
		for range k {
			var body io.Reader
			if w.Method == "POST" {
				body = strings.NewReader(workload.EchoBody)
			}
			req, _ := http.NewRequest(w.Method, "http://"+addr+w.Path, body)
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				return fmt.Errorf("status %d", resp.StatusCode)
			}
		}
		return nil
	}
	if conns > 1 {
		rr, err := roundRobin(addr, w, conns)
		if err != nil {
			return 0, err
		}
		defer rr.close()
		send = rr.send
	}
	pid := strconv.Itoa(srv.Process.Pid)
	if err := send(warmups(n, conns)); err != nil {
		return 0, err
	}
	if out, err := exec.Command("callgrind_control", "-z", pid).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("callgrind_control -z: %v\n%s", err, out)
	}
	if err := send(n); err != nil {
		return 0, err
	}
	if out, err := exec.Command("callgrind_control", "--dump=measured", pid).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("callgrind_control --dump: %v\n%s", err, out)
	}
	// The dump is a file next to out whose header names the description.
	files, _ := filepath.Glob(out + "*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil || !bytes.Contains(b, []byte("\ndesc: Trigger: dump measured")) {
			continue
		}
		if m := regexp.MustCompile(`\n(?:summary|totals): (\d+)`).FindSubmatch(b); m != nil {
			total, _ := strconv.ParseFloat(string(m[1]), 64)
			return total / float64(n), nil
		}
	}
	return 0, fmt.Errorf("no callgrind dump found for %s", out)
}

// rrConns sends requests in turn on many keep-alive connections, one at a
// time, so the server serves them on as many distinct connections (and
// fasthttp's servers on as many RequestCtx) as there are. The request is
// the one the http.Client of the one-connection case sends.
type rrConns struct {
	req   []byte
	conns []net.Conn
	rds   []*bufio.Reader
	next  int
}

func roundRobin(addr string, w work, n int) (*rrConns, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: Go-http-client/1.1\r\n", w.Method, w.Path, addr)
	if w.Method == "POST" {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(workload.EchoBody))
	}
	b.WriteString("Content-Type: application/json\r\n\r\n")
	if w.Method == "POST" {
		b.WriteString(workload.EchoBody)
	}
	rr := &rrConns{req: []byte(b.String())}
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			rr.close()
			return nil, err
		}
		rr.conns = append(rr.conns, c)
		rr.rds = append(rr.rds, bufio.NewReader(c))
	}
	return rr, nil
}

func (rr *rrConns) send(k int) error {
	for range k {
		i := rr.next
		rr.next = (rr.next + 1) % len(rr.conns)
		if _, err := rr.conns[i].Write(rr.req); err != nil {
			return err
		}
		resp, err := http.ReadResponse(rr.rds[i], nil)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
	}
	return nil
}

func (rr *rrConns) close() {
	for _, c := range rr.conns {
		c.Close()
	}
}

// reportFile prints the report for the runs of a -raw file.
func reportFile(path string, servers []string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	var rs []result
	var works []work
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 7 {
			continue
		}
		var r result
		r.Work, r.Server = f[0], f[1]
		r.Rep, _ = strconv.Atoi(f[2])
		r.RPS, _ = strconv.ParseFloat(f[3], 64)
		us, _ := strconv.Atoi(f[4])
		r.P99 = time.Duration(us) * time.Microsecond
		r.CPU, _ = strconv.ParseFloat(f[5], 64)
		r.Errors, _ = strconv.Atoi(f[6])
		rs = append(rs, r)
		if !slices.ContainsFunc(works, func(w work) bool { return w.Name == r.Work }) {
			works = append(works, work{Name: r.Work})
		}
	}
	report(os.Stdout, rs, servers, works)
	return 0
}

// writeScripts writes one wrk Lua script per workload: the method, body
// and headers, and -pipeline requests per write.
func writeScripts(dir string, depth int) (map[string]string, error) {
	scripts := map[string]string{}
	for _, w := range allWorkloads {
		var b strings.Builder
		fmt.Fprintf(&b, "wrk.method = %q\n", w.Method)
		if w.Method == "POST" {
			fmt.Fprintf(&b, "wrk.body = %q\n", workload.EchoBody)
			fmt.Fprintf(&b, "wrk.headers[\"Content-Type\"] = \"application/json\"\n")
		}
		fmt.Fprintf(&b, "local depth = %d\n", depth)
		b.WriteString(`local req
init = function(args)
  local r = {}
  for i = 1, depth do r[i] = wrk.format() end
  req = table.concat(r)
end
request = function() return req end
`)
		p := filepath.Join(dir, w.Name+".lua")
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			return nil, err
		}
		scripts[w.Name] = p
	}
	return scripts, nil
}

func runOne(bin, name string, w work, script string, rep int, serverCPU, clientCPU string, threads, conns int, warmup, duration time.Duration) (result, error) {
	addr, err := freeAddr()
	if err != nil {
		return result{}, err
	}
	srv := exec.Command("taskset", "-c", serverCPU, bin, "-addr", addr)
	var serr bytes.Buffer
	srv.Stdout, srv.Stderr = &serr, &serr
	if err := srv.Start(); err != nil {
		return result{}, err
	}
	defer stop(srv)
	if err := waitReady(addr, 10*time.Second); err != nil {
		return result{}, fmt.Errorf("%v; server output:\n%s", err, serr.String())
	}
	if err := check(addr, w); err != nil {
		return result{}, err
	}
	url := "http://" + addr + w.Path
	if warmup > 0 {
		if _, err := wrk(clientCPU, threads, conns, warmup, script, url); err != nil {
			return result{}, err
		}
	}
	cpu0, err := cpuTime(srv.Process.Pid)
	if err != nil {
		return result{}, err
	}
	t0 := time.Now()
	out, err := wrk(clientCPU, threads, conns, duration, script, url)
	wall := time.Since(t0)
	if err != nil {
		return result{}, err
	}
	cpu1, err := cpuTime(srv.Process.Pid)
	if err != nil {
		return result{}, err
	}
	r, err := parseWrk(out)
	if err != nil {
		return result{}, fmt.Errorf("%v in wrk output:\n%s", err, out)
	}
	r.Server, r.Work, r.Rep = name, w.Name, rep
	r.CPU = (cpu1 - cpu0).Seconds() / wall.Seconds()
	return r, nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitReady(addr string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("server did not listen on %s within %v", addr, limit)
}

// check sends the workload's request once and verifies the answer, so no
// server is measured serving errors.
func check(addr string, w work) error {
	var body io.Reader
	if w.Method == "POST" {
		body = strings.NewReader(workload.EchoBody)
	}
	req, err := http.NewRequest(w.Method, "http://"+addr+w.Path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || strings.TrimSpace(string(got)) != w.Want {
		return fmt.Errorf("%s %s = %d %q, want 200 %q", w.Method, w.Path, resp.StatusCode, got, w.Want)
	}
	ct := resp.Header.Get("Content-Type")
	want := "application/json"
	if w.Name == "plaintext" {
		want = "text/plain; charset=utf-8"
	}
	if !strings.HasPrefix(ct, want) { // gin adds "; charset=utf-8" to JSON
		return fmt.Errorf("%s %s: Content-Type %q, want %q", w.Method, w.Path, ct, want)
	}
	return nil
}

func wrk(cpu string, threads, conns int, d time.Duration, script, url string) (string, error) {
	secs := int(d.Round(time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), d+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "taskset", "-c", cpu, "wrk",
		"-t"+strconv.Itoa(threads), "-c"+strconv.Itoa(conns), "-d"+strconv.Itoa(secs)+"s",
		"--timeout", "5s", "--latency", "-s", script, url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("wrk: %v\n%s", err, out)
	}
	return string(out), nil
}

var (
	rpsRE    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	p99RE    = regexp.MustCompile(`\n\s+99%\s+([0-9.]+)(us|ms|s)\b`)
	errRE    = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	non2xxRE = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

func parseWrk(out string) (result, error) {
	var r result
	m := rpsRE.FindStringSubmatch(out)
	if m == nil {
		return r, errors.New("no Requests/sec")
	}
	r.RPS, _ = strconv.ParseFloat(m[1], 64)
	m = p99RE.FindStringSubmatch(out)
	if m == nil {
		return r, errors.New("no 99% latency")
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[2]]
	r.P99 = time.Duration(v * float64(unit))
	if m := errRE.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.Errors += n
		}
	}
	if m := non2xxRE.FindStringSubmatch(out); m != nil {
		n, _ := strconv.Atoi(m[1])
		r.Errors += n
	}
	return r, nil
}

// cpuTime is the user+system CPU time of pid so far, from /proc.
func cpuTime(pid int) (time.Duration, error) {
	// taskset execs the server, so pid is the server itself.
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	const clkTck = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / clkTck, nil
}

func stop(cmd *exec.Cmd) {
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func report(w io.Writer, rs []result, servers []string, works []work) {
	type key struct{ s, w string }
	rps, p99, cpu, errs := map[key][]float64{}, map[key][]float64{}, map[key][]float64{}, map[key]int{}
	for _, r := range rs {
		k := key{r.Server, r.Work}
		rps[k] = append(rps[k], r.RPS)
		p99[k] = append(p99[k], float64(r.P99))
		cpu[k] = append(cpu[k], r.CPU)
		errs[k] += r.Errors
	}
	// Ratios are taken within a repetition, whose runs of one workload
	// follow each other within a minute, then their median is reported:
	// on a shared machine that cancels slow changes in background load
	// that the medians of req/s alone do not.
	type repKey struct {
		w   string
		rep int
	}
	// Requests per second of server CPU time is the other ratio: when
	// other load takes the server's core away, req/s falls with it, but
	// the CPU time each request costs moves much less.
	byRep, effByRep := map[repKey]map[string]float64{}, map[repKey]map[string]float64{}
	for _, r := range rs {
		k := repKey{r.Work, r.Rep}
		if byRep[k] == nil {
			byRep[k], effByRep[k] = map[string]float64{}, map[string]float64{}
		}
		byRep[k][r.Server] = r.RPS
		if r.CPU > 0 {
			effByRep[k][r.Server] = r.RPS / r.CPU
		}
	}
	ratioOf := func(by map[repKey]map[string]float64, w, a, b string) float64 {
		var xs []float64
		for k, m := range by {
			if k.w == w && m[a] > 0 && m[b] > 0 {
				xs = append(xs, m[a]/m[b])
			}
		}
		return median(xs)
	}
	ratio := func(w, a, b string) float64 { return ratioOf(byRep, w, a, b) }
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	fmt.Fprintf(bw, "\n| workload | server | req/s (median) | min–max | p99 (median) | server CPU | vs fasthttp (median of per-rep ratios) | req per server CPU-second, vs fasthttp | errors |\n")
	fmt.Fprintf(bw, "|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, wk := range works {
		for _, s := range servers {
			k := key{s, wk.Name}
			r, e := "–", "–"
			if v := ratio(wk.Name, s, "fasthttp"); v > 0 {
				r = fmt.Sprintf("%.3f", v)
			}
			if v := ratioOf(effByRep, wk.Name, s, "fasthttp"); v > 0 {
				e = fmt.Sprintf("%.3f", v)
			}
			fmt.Fprintf(bw, "| %s | %s | %.0f | %.0f–%.0f | %v | %.2f | %s | %s | %d |\n", wk.Name, s, median(rps[k]),
				slices.Min(rps[k]), slices.Max(rps[k]), time.Duration(median(p99[k])).Round(time.Microsecond), median(cpu[k]), r, e, errs[k])
		}
	}
	fmt.Fprintf(bw, "\nkk's ratio to each server: median of per-repetition ratios (in brackets: best run against best run)\n")
	fmt.Fprintf(bw, "\n| workload | kk / fasthttp | kk / chi | kk / gin | kk / fiber | kk / fasthttprouter |\n|---|---:|---:|---:|---:|---:|\n")
	for _, wk := range works {
		cell := func(s string) string {
			v := ratio(wk.Name, "kk", s)
			best := slices.Max(append([]float64{0}, rps[key{s, wk.Name}]...))
			if v == 0 || best == 0 {
				return "–"
			}
			return fmt.Sprintf("%.3f (%.2f)", v, slices.Max(rps[key{"kk", wk.Name}])/best)
		}
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s |\n", wk.Name, cell("fasthttp"), cell("chi"), cell("gin"), cell("fiber"), cell("fasthttprouter"))
	}
}
