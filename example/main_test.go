package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args        []string
		port, admin string
		want        config
	}{
		{nil, "", "", config{addr: ":8080", adminAddr: defaultAdminAddr, adminExplicit: false}},
		{nil, "9000", "", config{addr: ":9000", adminAddr: defaultAdminAddr, adminExplicit: false}},
		{[]string{"-addr", "127.0.0.1:7000"}, "", "", config{addr: "127.0.0.1:7000", adminAddr: defaultAdminAddr, adminExplicit: false}},
		{[]string{"-addr=127.0.0.1:7000"}, "9000", "", config{addr: "127.0.0.1:7000", adminAddr: defaultAdminAddr, adminExplicit: false}},
		{nil, "", "off", config{addr: ":8080", adminAddr: "off", adminExplicit: true}},
		{[]string{"-admin-addr", "127.0.0.1:7001"}, "", "127.0.0.1:7002", config{addr: ":8080", adminAddr: "127.0.0.1:7001", adminExplicit: true}},
		{[]string{"-debug"}, "", "", config{addr: ":8080", adminAddr: defaultAdminAddr, debug: true}},
		{[]string{"-nats", "nats://127.0.0.1:4222"}, "", "", config{addr: ":8080", adminAddr: defaultAdminAddr, bus: busFlags{url: "nats://127.0.0.1:4222"}}},
	} {
		getenv := func(k string) string {
			return map[string]string{"PORT": tc.port, "ADMIN_ADDR": tc.admin}[k]
		}
		got, err := parseFlags(tc.args, getenv, io.Discard)
		if err != nil || got != tc.want {
			t.Errorf("parseFlags(%q, PORT=%q, ADMIN_ADDR=%q) = %+v, %v; want %+v", tc.args, tc.port, tc.admin, got, err, tc.want)
		}
	}
}

func TestRunBadUsage(t *testing.T) {
	ctx := context.Background()
	if code := run(ctx, []string{"-h"}, func(string) string { return "" }, io.Discard); code != 0 {
		t.Errorf("run(-h) = %d, want 0", code)
	}
	for _, args := range [][]string{{"-nope"}, {"extra"}} {
		if code := run(ctx, args, func(string) string { return "" }, io.Discard); code != 2 {
			t.Errorf("run(%q) = %d, want 2", args, code)
		}
	}
}

// TestRunTwoServers runs main's run on loopback ports: both servers log
// "kk: listening" with their addresses, each serves its own routes only,
// and both stop when the context ends.
func TestRunTwoServers(t *testing.T) {
	defer slog.SetDefault(slog.Default()) // run sets it; the other tests read theirs
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-admin-addr", "127.0.0.1:0", "-trace"}, func(string) string { return "" }, &logs)
	}()
	listening := regexp.MustCompile(`kk: listening" addr=(\S+)`)
	var addrs []string
	for deadline := time.Now().Add(10 * time.Second); len(addrs) < 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("two servers did not start:\n%s", logs.String())
		}
		addrs = nil
		for _, m := range listening.FindAllStringSubmatch(logs.String(), -1) {
			addrs = append(addrs, m[1])
		}
	}
	apiAddr, adminAddr := addrs[0], addrs[1]
	hc := &http.Client{Transport: &http.Transport{}, Timeout: 5 * time.Second}
	get := func(addr, path string) (int, string) {
		resp, err := hc.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, _ := get(apiAddr, "/api/v1/users"); st != 200 {
		t.Errorf("API /api/v1/users: %d", st)
	}
	if st, body := get(adminAddr, "/metrics"); st != 200 ||
		!strings.Contains(body, `http_server_request_duration_seconds_count{method="GET",route="/api/v1/users",status="200"} 1`) {
		t.Errorf("admin /metrics: %d\n%s", st, body)
	}
	// -trace: the request's span, on stderr.
	if !strings.Contains(logs.String(), `"Name":"GET /api/v1/users"`) || !strings.Contains(logs.String(), `"Key":"http.route"`) {
		t.Errorf("-trace printed no span for GET /api/v1/users:\n%s", logs.String())
	}
	// -trace: a todo's event reaches the Activity consumer through the bus
	// in the trace of the request that made it.
	post := func(path, body string) string {
		req, _ := http.NewRequest("POST", "http://"+apiAddr+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer dev-token")
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 201 {
			t.Fatalf("POST %s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	var user struct{ ID int64 }
	if err := json.Unmarshal([]byte(post("/api/v1/users", `{"name":"tracy","email":"tracy@example.com"}`)), &user); err != nil {
		t.Fatal(err)
	}
	post(fmt.Sprintf("/api/v1/users/%d/todos", user.ID), `{"title":"follow the trace"}`)
	var request, process string // trace IDs of the POST's span and of the consumer's
	for deadline := time.Now().Add(10 * time.Second); process == "" || request == ""; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no consumer span in the trace of POST .../todos:\n%s", logs.String())
		}
		for _, line := range strings.Split(logs.String(), "\n") {
			var span struct {
				Name        string
				SpanContext struct{ TraceID string }
				Parent      struct{ TraceID string }
			}
			if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &span) != nil {
				continue
			}
			switch span.Name {
			case "POST /api/v1/users/:id/todos":
				request = span.SpanContext.TraceID
			case "process todos.*":
				process = span.Parent.TraceID
			}
		}
	}
	if process != request {
		t.Errorf("the consumer's span is in trace %s, the request's in %s", process, request)
	}
	if st, _ := get(apiAddr, "/metrics"); st != 404 {
		t.Errorf("API /metrics: %d, want 404 (admin routes stay on the admin server)", st)
	}
	hc.CloseIdleConnections()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("run = %d after its context ended\n%s", code, logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
}

// TestRunAdminPortTaken: the default admin port taken leaves the API
// running alone, with a warning; an explicit one that is taken is an
// error.
func TestRunAdminPortTaken(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	logger := discardLogger()
	if _, err := newServers(config{addr: "127.0.0.1:0", adminAddr: taken.Addr().String(), adminExplicit: true}, testService(t), logger); err == nil {
		t.Error("explicit admin address in use: no error")
	}
	servers, err := newServers(config{addr: "127.0.0.1:0", adminAddr: taken.Addr().String()}, testService(t), logger)
	if err != nil || len(servers) != 1 {
		t.Errorf("default admin address in use: %d servers, %v; want the API alone", len(servers), err)
	}
}
