package main

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/kommandkit/kk/bus"
	"github.com/kommandkit/kk/runtime/kktest"
)

// TestServicesAreIndependent builds several services side by side, each
// with its own store and token, and checks that none sees another's
// users or accepts another's token.
func TestServicesAreIndependent(t *testing.T) {
	t.Parallel()
	for i := range 4 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			b := bus.New()
			t.Cleanup(func() { b.Close() })
			token := fmt.Sprint("token-", i)
			r := newService(deps{Store: NewStore(), Bus: b, Token: token, Process: "p"}).router(slog.New(slog.DiscardHandler))
			post := func(token, name string) int {
				req := kktest.NewRequest("POST", "/api/v1/users", []byte(fmt.Sprintf(`{"name":%q,"email":"x@example.com"}`, name)))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.SetContentType("application/json")
				return kktest.Serve(r, req).StatusCode()
			}
			if got := post(fmt.Sprint("token-", i+1), "other"); got != 401 {
				t.Fatalf("another service's token: %d, want 401", got)
			}
			if got := post(token, fmt.Sprint("user-", i)); got != 201 {
				t.Fatalf("own token: %d, want 201", got)
			}
			resp := kktest.Do(r, "GET", "/api/v1/users")
			want := fmt.Sprintf(`"name":"user-%d"`, i)
			if body := string(resp.Body()); strings.Count(body, `"name"`) != 1 || !strings.Contains(body, want) {
				t.Fatalf("GET /api/v1/users = %s, want only user-%d", body, i)
			}
		})
	}
}

// TestDebugRoutesNeedTheFlag checks that the debug routes answer 404, and
// are left out of the index, unless the service runs with -debug.
func TestDebugRoutesNeedTheFlag(t *testing.T) {
	t.Parallel()
	for _, debug := range []bool{false, true} {
		b := bus.New()
		t.Cleanup(func() { b.Close() })
		r := newService(deps{Store: NewStore(), Bus: b, Debug: debug}).router(slog.New(slog.DiscardHandler))
		for path, on := range map[string]int{"/debug/panic": 500, "/debug/fail": 500, "/debug/sleep?ms=1": 200} {
			want := 404
			if debug {
				want = on
			}
			if got := kktest.Do(r, "GET", path).StatusCode(); got != want {
				t.Errorf("debug=%v: GET %s = %d, want %d", debug, path, got, want)
			}
		}
		index := string(kktest.Do(r, "GET", "/").Body())
		if listed := strings.Contains(index, "/debug/"); listed != debug {
			t.Errorf("debug=%v: index lists the debug routes: %v\n%s", debug, listed, index)
		}
	}
}

// TestPagesSayWhatTheyAre checks that the pages a newcomer opens first
// have a heading, a line saying what they are, and the shared stylesheet.
func TestPagesSayWhatTheyAre(t *testing.T) {
	t.Parallel()
	r := testRouter(t)
	for path, heading := range map[string]string{"/chat": "<h1>Chat</h1>", "/feed": "<h1>Live todo feed</h1>", "/static/": "<h1>Users and todos</h1>"} {
		resp := kktest.Do(r, "GET", path)
		body := string(resp.Body())
		if resp.StatusCode() != 200 || !strings.HasPrefix(string(resp.Header.ContentType()), "text/html") {
			t.Errorf("GET %s = %d %s", path, resp.StatusCode(), resp.Header.ContentType())
			continue
		}
		for _, want := range []string{heading, `<p class="lead">`, `<link rel="stylesheet" href="/static/style.css">`} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s lacks %s", path, want)
			}
		}
	}
	if resp := kktest.Do(r, "GET", "/static/style.css"); resp.StatusCode() != 200 {
		t.Errorf("GET /static/style.css = %d", resp.StatusCode())
	}
}
