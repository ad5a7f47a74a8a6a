package streams

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// serverEnv makes the test binary a server for the RSS tests: run as
// `streams.test` with it set, it serves NewRouter on a loopback port with
// kk's default limits, prints "listening ADDR" and serves until its stdin
// closes.
const serverEnv = "KK_STREAMS_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(serverEnv) == "1" {
		os.Exit(serveForParent())
	}
	os.Exit(m.Run())
}

func serveForParent() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		io.Copy(io.Discard, os.Stdin) // the parent closes it when done
		cancel()
	}()
	fmt.Printf("listening %s\n", ln.Addr())
	if err := kk.Serve(ctx, ln, NewRouter()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// child is a server process whose memory is watched.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	base  string
	peak  atomic.Int64 // the largest VmRSS sampled, in bytes
	stop  chan struct{}
	done  chan struct{}
}

func startChild(t *testing.T) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serverEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ch := &child{cmd: cmd, stdin: stdin, stop: make(chan struct{}), done: make(chan struct{})}
	t.Cleanup(func() {
		stdin.Close()
		waited := make(chan error, 1)
		go func() { waited <- cmd.Wait() }()
		select {
		case err := <-waited:
			if err != nil {
				t.Errorf("server process: %v", err)
			}
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			t.Error("server process did not exit after its stdin closed")
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if err != nil || !ok {
		t.Fatalf("server process said %q, %v", line, err)
	}
	ch.base = "http://" + addr
	go ch.sample()
	return ch
}

// sample reads the process's resident set every 10ms until stopped.
func (ch *child) sample() {
	defer close(ch.done)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if rss := ch.status("VmRSS"); rss > ch.peak.Load() {
			ch.peak.Store(rss)
		}
		select {
		case <-ch.stop:
			return
		case <-tick.C:
		}
	}
}

// status is a memory figure of /proc/PID/status, in bytes.
func (ch *child) status(field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", ch.cmd.Process.Pid))
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

// peaks stops sampling and returns the largest sample and the kernel's
// own high-water mark (VmHWM).
func (ch *child) peaks() (sampled, hwm int64) {
	close(ch.stop)
	<-ch.done
	return ch.peak.Load(), ch.status("VmHWM")
}

const (
	gib      = 1 << 30
	rssLimit = 64 << 20
)

func checkRSS(t *testing.T, ch *child, what string, n int64, took time.Duration) {
	t.Helper()
	sampled, hwm := ch.peaks()
	t.Logf("%s: %d MiB in %v (%.0f MB/s); server peak RSS %.1f MiB sampled, %.1f MiB VmHWM",
		what, n>>20, took.Round(time.Millisecond), float64(n)/took.Seconds()/1e6, float64(sampled)/(1<<20), float64(hwm)/(1<<20))
	if sampled == 0 || hwm == 0 {
		t.Fatal("could not read the server's memory from /proc")
	}
	if hwm >= rssLimit || sampled >= rssLimit {
		t.Errorf("%s: the server's resident memory peaked at %d MiB (VmHWM), %d MiB sampled; want under 64 MiB", what, hwm>>20, sampled>>20)
	}
}

// TestUploadRSS uploads 1 GiB to a streaming route, with a Content-Length
// and chunked, in a separate server process.
func TestUploadRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("moves gigabytes")
	}
	for _, chunked := range []bool{false, true} {
		name := map[bool]string{false: "Content-Length", true: "chunked"}[chunked]
		t.Run(name, func(t *testing.T) {
			ch := startChild(t)
			var body io.Reader = &pattern{left: gib}
			length := int64(gib)
			if chunked {
				body, length = opaque{body}, -1
			}
			req, _ := http.NewRequest("POST", ch.base+"/upload", body)
			req.ContentLength = length
			start := time.Now()
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			took := time.Since(start)
			if resp.StatusCode != 200 || string(got) != fmt.Sprint(gib) {
				t.Fatalf("upload = %d %s", resp.StatusCode, got)
			}
			checkRSS(t, ch, "upload "+name, gib, took)
		})
	}
}

// TestDownloadRSS downloads a 1 GiB io.Reader result from a separate
// server process.
func TestDownloadRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("moves gigabytes")
	}
	ch := startChild(t)
	start := time.Now()
	resp, err := http.Get(fmt.Sprintf("%s/download?size=%d", ch.base, gib))
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if err != nil || n != gib {
		t.Fatalf("download: %d bytes, %v", n, err)
	}
	checkRSS(t, ch, "download", gib, took)
}
