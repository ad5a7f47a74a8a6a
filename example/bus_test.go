package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/kommandkit/kk/runtime/kktest"
)

// instance is one example process.
type instance struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
}

// buildExample compiles the example once for the process tests.
func buildExample(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "example")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var listening = regexp.MustCompile(`"kk: listening" addr=(\S+)`)

// startInstance runs the example binary with args on a loopback port and
// waits for it to listen; it is stopped (SIGTERM, then waited for) at
// cleanup.
func startInstance(t *testing.T, bin string, args ...string) *instance {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0", "-admin-addr", "off"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case a := <-addr:
		return &instance{cmd: cmd, base: "http://" + a}
	case <-time.After(30 * time.Second):
		t.Fatal("the example did not start listening")
		return nil
	}
}

func (in *instance) do(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, in.base+path, r)
	req.Header.Set("Authorization", "Bearer dev-token") // the binary's token: API_TOKEN is unset
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// TestProcessesOnNATS runs the example as separate processes sharing
// events over NATS: through a nats-server of the test's, and through one
// embedded in the first process (-nats-embed).
func TestProcessesOnNATS(t *testing.T) {
	bin := buildExample(t)
	t.Run("server", func(t *testing.T) { testTwoProcessesShareTodoEvents(t, bin) })
	t.Run("embedded", func(t *testing.T) { testEmbeddedNATSDemo(t, bin) })
	t.Run("embedded-jetstream", func(t *testing.T) { testEmbeddedNATSDemo(t, bin, "-nats-jetstream") })
}

// Two example processes on one NATS server: a todo added through one shows
// in the other's event log, and each process's own log has it too.
func testTwoProcessesShareTodoEvents(t *testing.T, bin string) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	t.Cleanup(ns.Shutdown)
	a := startInstance(t, bin, "-nats", ns.ClientURL())
	b := startInstance(t, bin, "-nats", ns.ClientURL())

	code, body := a.do(t, "POST", "/api/v1/users", map[string]string{"name": "ada", "email": "ada@example.com"})
	if code != 201 {
		t.Fatalf("POST /api/v1/users = %d %s", code, body)
	}
	var u User
	json.Unmarshal(body, &u)
	code, body = a.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/todos", u.ID), map[string]string{"title": "across processes"})
	if code != 201 {
		t.Fatalf("POST todos = %d %s", code, body)
	}
	wantProcess := fmt.Sprint("/", a.cmd.Process.Pid)
	for _, in := range []*instance{b, a} {
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, body = in.do(t, "GET", "/events/todos", nil)
			var evs []TodoEvent
			if err := json.Unmarshal(body, &evs); err != nil {
				t.Fatalf("GET /events/todos: %v: %s", err, body)
			}
			if len(evs) == 1 && evs[0].Kind == "created" && evs[0].Todo.Title == "across processes" && strings.HasSuffix(evs[0].Process, wantProcess) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s/events/todos = %s; want the todo created on the other process (%s)", in.base, body, wantProcess)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// -nats-embed runs the NATS server inside the first process; a second
// joins it with -nats. Both take the extra flags (-nats-jetstream).
func testEmbeddedNATSDemo(t *testing.T, bin string, extra ...string) {
	port := freePort(t)
	a := startInstance(t, bin, append([]string{"-nats-embed", "127.0.0.1:" + port}, extra...)...)
	b := startInstance(t, bin, append([]string{"-nats", "nats://127.0.0.1:" + port}, extra...)...)
	code, body := b.do(t, "POST", "/api/v1/users", map[string]string{"name": "bob", "email": "bob@example.com"})
	if code != 201 {
		t.Fatalf("POST /api/v1/users = %d %s", code, body)
	}
	var u User
	json.Unmarshal(body, &u)
	if code, body := b.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/todos", u.ID), map[string]string{"title": "embedded"}); code != 201 {
		t.Fatalf("POST todos = %d %s", code, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		_, body = a.do(t, "GET", "/events/todos", nil)
		if strings.Contains(string(body), `"title":"embedded"`) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the embedding process's /events/todos = %s; want the other's todo", body)
}

// interrupt asks an example process to shut down gracefully.
var interrupt = syscall.SIGTERM

// freePort is a loopback port that was free a moment ago.
func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// Alone, the example's bus is in process: a todo added shows in the same
// process's event log.
func TestInProcessTodoEvents(t *testing.T) {
	t.Parallel()
	r := testService(t).router(slog.New(slog.NewTextHandler(io.Discard, nil)))
	post := func(path, body string) []byte {
		req := kktest.NewRequest("POST", path, []byte(body))
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.SetContentType("application/json")
		resp := kktest.Serve(r, req)
		if resp.StatusCode() != 201 {
			t.Fatalf("POST %s = %d %s", path, resp.StatusCode(), resp.Body())
		}
		return resp.Body()
	}
	var u User
	json.Unmarshal(post("/api/v1/users", `{"name":"inproc","email":"inproc@example.com"}`), &u)
	post(fmt.Sprintf("/api/v1/users/%d/todos", u.ID), `{"title":"in process event"}`)
	deadline := time.Now().Add(5 * time.Second)
	for {
		body := kktest.Do(r, "GET", "/events/todos").Body()
		if bytes.Contains(body, []byte(`"title":"in process event"`)) && bytes.Contains(body, []byte(`"process":"test"`)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/events/todos = %s", body)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
