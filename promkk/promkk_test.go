package promkk_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/kommandkit/kk/promkk"
	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// table routes GET /items/:id (a 5-byte body), POST /items/:id (500),
// GET /panic and GET /metrics (handled by metrics).
func table(metrics kk.Handler) kk.Table {
	routes := []kk.Route{
		{Method: "GET", Pattern: "/items/:id", Name: "GetItem", Params: []string{"id"}, Handler: func(c *kk.Ctx) error { return kk.Text(c, "hello") }},
		{Method: "POST", Pattern: "/items/:id", Name: "PostItem", Params: []string{"id"}, Handler: func(*kk.Ctx) error { return errors.New("broken") }},
		{Method: "GET", Pattern: "/panic", Name: "Panic", Handler: func(*kk.Ctx) error { panic("boom") }},
		{Method: "GET", Pattern: "/metrics", Name: "Metrics", Handler: metrics},
	}
	return kk.Table{Routes: routes, Methods: []string{"GET", "POST"},
		Match: func(method string, p []byte, ps *kk.Params) int {
			s := string(p)
			if id, ok := strings.CutPrefix(s, "/items/"); ok && id != "" && !strings.Contains(id, "/") {
				ps[0] = p[len("/items/"):]
				switch method {
				case "GET":
					return 0
				case "POST":
					return 1
				}
				return -1
			}
			switch {
			case method == "GET" && s == "/panic":
				return 2
			case method == "GET" && s == "/metrics":
				return 3
			}
			return -1
		}}
}

func do(t *testing.T, s *kktest.Server, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestMetricsByRouteMethodStatus(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := promkk.New(promkk.Config{Registerer: reg, Namespace: "app"})
	r := kk.New(table(promkk.Handler(reg)))
	r.SetLogger(slog.New(slog.DiscardHandler))
	r.Use(m.Middleware())
	s := kktest.NewServer(t, r)

	do(t, s, "GET", "/items/1", "")
	do(t, s, "GET", "/items/2", "")
	do(t, s, "POST", "/items/3", "0123456789")
	do(t, s, "GET", "/panic", "")
	do(t, s, "GET", "/nowhere", "")
	do(t, s, "BREW", "/items/4", "")

	count := func(route, method, status string) uint64 {
		t.Helper()
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			if mf.GetName() != "app_http_server_request_duration_seconds" {
				continue
			}
			for _, mt := range mf.GetMetric() {
				l := map[string]string{}
				for _, lp := range mt.GetLabel() {
					l[lp.GetName()] = lp.GetValue()
				}
				if l["route"] == route && l["method"] == method && l["status"] == status {
					return mt.GetHistogram().GetSampleCount()
				}
			}
		}
		return 0
	}
	for _, tc := range []struct {
		route, method, status string
		n                     uint64
	}{
		{"/items/:id", "GET", "200", 2},
		{"/items/:id", "POST", "500", 1},
		{"/panic", "GET", "500", 1},
		{"", "GET", "404", 1},
		{"", "OTHER", "501", 1}, // BREW: no route has it and the IANA registry does not list it (RFC 9110 §9.1)
	} {
		if got := count(tc.route, tc.method, tc.status); got != tc.n {
			t.Errorf("duration count {route=%q,method=%q,status=%q} = %d, want %d", tc.route, tc.method, tc.status, got, tc.n)
		}
	}
	if n := testutil.CollectAndCount(reg, "app_http_server_request_duration_seconds"); n != 5 {
		t.Errorf("%d duration series, want 5", n)
	}
	flying := `
# HELP app_http_server_requests_in_flight Requests in their handlers now.
# TYPE app_http_server_requests_in_flight gauge
app_http_server_requests_in_flight{method="GET",route=""} 0
app_http_server_requests_in_flight{method="GET",route="/items/:id"} 0
app_http_server_requests_in_flight{method="GET",route="/panic"} 0
app_http_server_requests_in_flight{method="OTHER",route=""} 0
app_http_server_requests_in_flight{method="POST",route="/items/:id"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(flying), "app_http_server_requests_in_flight"); err != nil {
		t.Error(err)
	}

	// The body sizes: 10 bytes in on the POST, 5 out on each GET.
	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		for _, mt := range mf.GetMetric() {
			l := map[string]string{}
			for _, lp := range mt.GetLabel() {
				l[lp.GetName()] = lp.GetValue()
			}
			switch {
			case mf.GetName() == "app_http_server_request_size_bytes" && l["method"] == "POST":
				if got := mt.GetHistogram().GetSampleSum(); got != 10 {
					t.Errorf("POST request bytes %v, want 10", got)
				}
			case mf.GetName() == "app_http_server_response_size_bytes" && l["method"] == "GET" && l["status"] == "200":
				if got := mt.GetHistogram().GetSampleSum(); got != 10 {
					t.Errorf("GET response bytes %v, want 2×5", got)
				}
			}
		}
	}

	// The handler serves the exposition format on a kk route.
	st, body := do(t, s, "GET", "/metrics", "")
	if st != 200 || !strings.Contains(body, `app_http_server_request_duration_seconds_count{method="POST",route="/items/:id",status="500"} 1`) {
		t.Errorf("/metrics: %d\n%s", st, body)
	}
}

// TestInFlight: a request in its handler is counted, and only then.
func TestInFlight(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := promkk.New(promkk.Config{Registerer: reg})
	entered, release := make(chan struct{}), make(chan struct{})
	tb := table(nil)
	tb.Routes[0].Handler = func(c *kk.Ctx) error {
		close(entered)
		<-release
		return kk.NoContent(c)
	}
	r := kk.New(tb)
	r.Use(m.Middleware())
	s := kktest.NewServer(t, r)
	done := make(chan struct{})
	go func() {
		defer close(done)
		do(t, s, "GET", "/items/1", "")
	}()
	<-entered
	g := `
# HELP http_server_requests_in_flight Requests in their handlers now.
# TYPE http_server_requests_in_flight gauge
http_server_requests_in_flight{method="GET",route="/items/:id"} %d
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(strings.Replace(g, "%d", "1", 1)), "http_server_requests_in_flight"); err != nil {
		t.Error(err)
	}
	close(release)
	<-done
	if err := testutil.GatherAndCompare(reg, strings.NewReader(strings.Replace(g, "%d", "0", 1)), "http_server_requests_in_flight"); err != nil {
		t.Error(err)
	}
}
