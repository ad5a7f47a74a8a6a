package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/kommandkit/kk/example/admin"
	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// TestAdminServer serves the API and the admin server as main does, each
// through kktest: the admin server reports on the API's traffic, and its
// tighter body limit answers 413 where the API's does not.
func TestAdminServer(t *testing.T) {
	t.Parallel()
	svc := testService(t)
	api := &kk.Server{Router: svc.router(slog.Default())}
	apiTS := kktest.Start(t, api)
	adminTS := kktest.Start(t, newAdminServer(nil, api, svc, slog.Default())) // kktest gives it a listener

	get := func(ts *kktest.Server, path string) (int, string) {
		t.Helper()
		resp, err := ts.Client().Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for range 3 {
		if st, _ := get(apiTS, "/healthz"); st != 204 {
			t.Fatalf("API /healthz: %d", st)
		}
	}
	st, body := get(adminTS, "/stats")
	var stats admin.Stats
	if err := json.Unmarshal([]byte(body), &stats); st != 200 || err != nil {
		t.Fatalf("admin /stats: %d %s %v", st, body, err)
	}
	if stats.Requests["GET /healthz"] < 3 || stats.Server.Connections < 1 || stats.Server.Addr != "InmemoryListener" {
		t.Errorf("admin /stats after 3 API requests: %+v", stats)
	}
	st, body = get(adminTS, "/metrics")
	for _, want := range []string{"# TYPE kk_connections gauge\nkk_connections ",
		`http_server_request_duration_seconds_count{method="GET",route="/healthz",status="204"} 3`, "example_users 0", "go_goroutines "} {
		if st != 200 || !strings.Contains(body, want) {
			t.Errorf("admin /metrics: %d, lacks %q:\n%s", st, want, body)
		}
	}
	if st, body := get(adminTS, "/healthz"); st != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("admin /healthz: %d %s", st, body)
	}
	if st, _ := get(apiTS, "/metrics"); st != 404 {
		t.Errorf("API /metrics: %d, want 404", st)
	}

	// 100 KiB is over the admin server's 64 KiB, well under the API's 4 MiB.
	big := bytes.Repeat([]byte("x"), 100<<10)
	for _, tc := range []struct {
		ts     *kktest.Server
		path   string
		status int
	}{{adminTS, "/healthz", 413}, {apiTS, "/api/v1/users", 401}} {
		resp, err := tc.ts.Client().Post(tc.ts.URL+tc.path, "application/json", bytes.NewReader(big))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("POST %s with 100 KiB: %d, want %d", tc.path, resp.StatusCode, tc.status)
		}
	}
}
