package kk_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// The tests here run this test binary again as a program with a main of
// its own (childEnv names which), and signal that process: signals sent to
// the test process itself would reach every test running beside them.
const childEnv = "KK_SIGNAL_CHILD"

func init() {
	switch os.Getenv(childEnv) {
	case "":
		return
	case "run":
		readinessMain()
	case "listenandserve":
		listenAndServeMain()
	default:
		log.Fatalf("%s=%q: no such child", childEnv, os.Getenv(childEnv))
	}
	os.Exit(0) // main returned
}

// readinessMain is a service's main with the readiness flip: it catches
// SIGINT and SIGTERM itself, fails /items/ready (its readiness probe) on
// the first, waits (here: for a line on stdin, where a real service waits
// for its load balancer to notice), and only then cancels Run's context.
// /items/shutting says whether kk.ShuttingDown has fired.
func readinessMain() {
	sig, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var draining atomic.Bool
	r := kk.New(table(map[string]kk.Handler{"GetItem": func(c *kk.Ctx) error {
		switch c.Param("id") {
		case "ready":
			if draining.Load() {
				c.SetStatusCode(http.StatusServiceUnavailable)
				return kk.Text(c, "draining")
			}
			return kk.Text(c, "ready")
		case "shutting":
			select {
			case <-kk.ShuttingDown(c):
				return kk.Text(c, "shutting down")
			default:
				return kk.Text(c, "serving")
			}
		}
		return kk.NoContent(c)
	}}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-sig.Done()
		draining.Store(true)
		fmt.Println("draining")
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		cancel()
	}()
	fmt.Println("addr", ln.Addr())
	if err := kk.Run(ctx, &kk.Server{Listener: ln, Router: r}); err != nil {
		log.Fatal(err)
	}
}

// listenAndServeMain is the README's main: kk.ListenAndServe and
// log.Fatal on its error. /items/held says "entered" on stdout, waits for
// the shutdown to begin, then does 200 ms of work with its request's
// context.
func listenAndServeMain() {
	r := kk.New(table(map[string]kk.Handler{"GetItem": func(c *kk.Ctx) error {
		fmt.Println("entered")
		<-kk.ShuttingDown(c)
		if err := work(c, 200*time.Millisecond); err != nil {
			return err
		}
		return kk.Text(c, "finished")
	}}))
	if err := kk.ListenAndServe("127.0.0.1:0", r); err != nil {
		log.Fatal(err)
	}
}

// child is a running child process of this test binary.
type child struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Scanner
	stderr *bufio.Scanner
	exited chan error
}

func startChild(t *testing.T, mode string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, stdin: stdin, stdout: bufio.NewScanner(stdout), stderr: bufio.NewScanner(stderr),
		exited: make(chan error, 1)}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-c.exited
	})
	go func() {
		// Wait closes the pipes once the process has exited; the
		// scanners read what was written before.
		c.exited <- cmd.Wait()
	}()
	return c
}

// line reads the child's next line from s, failing the test at EOF or
// after 30 s.
func (c *child) line(t *testing.T, s *bufio.Scanner) string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		if s.Scan() {
			got <- s.Text()
		} else {
			got <- "EOF"
		}
	}()
	select {
	case l := <-got:
		if l == "EOF" {
			t.Fatal("the child's output ended")
		}
		return l
	case <-time.After(30 * time.Second):
		t.Fatal("no output from the child in 30 s")
		return ""
	}
}

func (c *child) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := c.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// wait waits for the child to exit and returns its exit status.
func (c *child) wait(t *testing.T) int {
	t.Helper()
	select {
	case err := <-c.exited:
		c.exited <- err // for the cleanup
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(30 * time.Second):
		t.Fatal("the child did not exit in 30 s")
		return -1
	}
}

// get sends a GET on a fresh connection and returns "status body", or the
// error.
func get(url string) string {
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%d %s", resp.StatusCode, b)
}

// TestRunOwnsNoSignals runs a program that handles SIGTERM (or SIGINT)
// itself, the readiness flip, and signals it: kk.Run goes on serving, new
// connections included, with no shutdown begun, until the program cancels
// Run's context; the program then exits 0.
func TestRunOwnsNoSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			c := startChild(t, "run")
			base := "http://" + strings.TrimPrefix(c.line(t, c.stdout), "addr ")
			if got := get(base + "/items/ready"); got != "200 ready" {
				t.Fatalf("readiness before the signal: %s", got)
			}
			c.signal(t, sig)
			if l := c.line(t, c.stdout); l != "draining" {
				t.Fatalf("child after %v: %q, want draining", sig, l)
			}
			if got := get(base + "/items/ready"); got != "503 draining" {
				t.Errorf("readiness after %v: %s, want 503 draining", sig, got)
			}
			if got := get(base + "/items/shutting"); got != "200 serving" {
				t.Errorf("after %v, before the program cancels: %s, want 200 serving", sig, got)
			}
			if _, err := io.WriteString(c.stdin, "drain\n"); err != nil {
				t.Fatal(err)
			}
			if code := c.wait(t); code != 0 {
				t.Errorf("exit status %d after a clean shutdown, want 0", code)
			}
		})
	}
}

// TestListenAndServeStopsOnSIGTERM runs the README's main (ListenAndServe,
// log.Fatal on its error) and sends it SIGTERM while a request is in its
// handler: the handler learns of it from kk.ShuttingDown, finishes its
// work with its context intact, the client gets its 200 with
// Connection: close, and the program exits 0.
func TestListenAndServeStopsOnSIGTERM(t *testing.T) {
	c := startChild(t, "listenandserve")
	var addr string
	listening := regexp.MustCompile(`kk: listening addr=(\S+)`)
	for addr == "" {
		if m := listening.FindStringSubmatch(c.line(t, c.stderr)); m != nil {
			addr = m[1]
		}
	}
	rest := make(chan string, 1)
	go func() { // the rest of stderr, so the child never blocks on a full pipe
		var b strings.Builder
		for c.stderr.Scan() {
			b.WriteString(c.stderr.Text() + "\n")
		}
		rest <- b.String()
	}()
	if got := get("http://" + addr + "/hello"); got != "204 " {
		t.Fatalf("GET /hello: %s", got)
	}
	answer := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/items/held")
		if err != nil {
			answer <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answer <- fmt.Sprintf("%d %s close=%v", resp.StatusCode, b, resp.Close)
	}()
	if l := c.line(t, c.stdout); l != "entered" {
		t.Fatalf("child: %q, want entered", l)
	}
	c.signal(t, syscall.SIGTERM)
	if got := <-answer; got != "200 finished close=true" {
		t.Errorf("request in flight at SIGTERM: %s, want 200 finished close=true", got)
	}
	if code := c.wait(t); code != 0 {
		t.Errorf("exit status %d after SIGTERM, want 0", code)
	}
	if log := <-rest; !strings.Contains(log, "kk: stopped") {
		t.Errorf("the child's log after SIGTERM has no clean stop:\n%s", log)
	}
}
