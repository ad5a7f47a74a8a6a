package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mainEnv makes this test binary run the example's main instead of its
// tests (TestMainDrainsOnSIGTERM), on loopback ports.
const mainEnv = "KK_EXAMPLE_MAIN"

func init() {
	if os.Getenv(mainEnv) == "" {
		return
	}
	os.Args = []string{"example", "-addr", "127.0.0.1:0", "-admin-addr", "127.0.0.1:0"}
	main()
}

// TestMainDrainsOnSIGTERM runs the example's main as its own process and
// sends it SIGTERM, as an orchestrator does: /readyz turns 503 on both
// servers while they go on serving (the API's routes, /healthz) for
// DRAIN_DELAY (an hour here); a second SIGTERM ends the wait, the servers
// shut down, and the process exits 0.
func TestMainDrainsOnSIGTERM(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), mainEnv+"=1", "DRAIN_DELAY=1h")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		exited <- cmd.Wait()
	}()
	defer func() {
		_ = cmd.Process.Kill()
		for range lines {
		}
	}()
	var log strings.Builder
	// until reads the child's log until a line matches re, and returns its
	// submatches.
	until := func(re *regexp.Regexp) []string {
		t.Helper()
		timeout := time.After(30 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("the process ended before logging %s:\n%s", re, log.String())
				}
				log.WriteString(l + "\n")
				if m := re.FindStringSubmatch(l); m != nil {
					return m
				}
			case <-timeout:
				t.Fatalf("nothing matching %s logged in 30 s:\n%s", re, log.String())
			}
		}
	}
	listening := regexp.MustCompile(`kk: listening" addr=(\S+)`)
	api, adminAddr := until(listening)[1], until(listening)[1]
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	get := func(addr, path string) string {
		resp, err := hc.Get("http://" + addr + path)
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return fmt.Sprint(resp.StatusCode)
	}
	for _, addr := range []string{api, adminAddr} {
		if got := get(addr, "/readyz"); got != "204" {
			t.Errorf("%s/readyz before SIGTERM: %s, want 204", addr, got)
		}
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	until(regexp.MustCompile(`draining`))
	for _, addr := range []string{api, adminAddr} {
		if got := get(addr, "/readyz"); got != "503" {
			t.Errorf("%s/readyz while draining: %s, want 503", addr, got)
		}
	}
	if got := get(api, "/api/v1/users"); got != "200" {
		t.Errorf("API while draining: %s, want 200 (it serves until the drain)", got)
	}
	if got := get(adminAddr, "/healthz"); got != "200" {
		t.Errorf("admin /healthz while draining: %s, want 200 (alive, leaving)", got)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	until(regexp.MustCompile(`msg=stopped`))
	for range lines {
	}
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Errorf("exit status %d after SIGTERM, want 0:\n%s", ee.ExitCode(), log.String())
		} else if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the process did not exit 30 s after its second SIGTERM")
	}
}
