package chain

import (
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestChainOrder(t *testing.T) {
	r := NewRouter()
	r.SetLogger(slog.New(slog.DiscardHandler))
	r.Use(trace("router"))
	for _, tc := range []struct {
		method, target string
		status         int
		body           string
		in, out        string // X-In and X-Out values, joined with " "
		route          string
	}{
		{"GET", "/g/all", 200, "all",
			"router outer inner one two handler+deadline", "two one inner outer router", "GET /g/all All"},
		// The timeout is closest to the handler: only the handler sees its
		// deadline, and everything outside sees its 503.
		// The handler's own X-In went with its late answer: only what the
		// middleware outside the timeout set stays on the 503.
		{"GET", "/g/all?sleep=500", 503, `{"type":"about:blank","title":"Service Unavailable","status":503}`,
			"router outer inner one two", "two:503 one:503 inner:503 outer:503 router:503", "GET /g/all All"},
		{"GET", "/g/rev", 200, "rev", "router outer inner two one handler", "one two inner outer router", "GET /g/rev Rev"},
		{"POST", "/g/rev", 200, "rev", "router outer inner two one handler", "one two inner outer router", "POST /g/rev Rev"},
		// Deny stops the chain: One and the handler never run.
		{"GET", "/g/rev?deny", 403, `{"type":"about:blank","title":"Forbidden","status":403,"detail":"denied"}`,
			"router outer inner two", "two:403 inner:403 outer:403 router:403", "GET /g/rev Rev"},
		{"GET", "/g/group-only", 200, "group-only", "router outer inner handler", "inner outer router", ""},
		{"GET", "/g/ctx", 200, "true", "router outer inner", "inner outer router", ""},
		{"GET", "/plain", 200, "plain", "router two handler", "two router", ""},
		{"GET", "/bare", 200, "bare", "router handler", "router", ""},
		// Router-wide middleware alone wraps the 404 and 405 answers; no
		// route was matched, so no group applies.
		{"GET", "/g/none", 404, "~no route for GET /g/none", "router", "router:404", ""},
		{"DELETE", "/g/rev", 405, "~method DELETE not allowed", "router", "router:405", ""},
		// The group's prefix is part of every pattern.
		{"GET", "/all", 404, "~no route", "router", "router:404", ""},
	} {
		resp := kktest.Serve(r, kktest.NewRequest(tc.method, tc.target, nil))
		got := string(resp.Body())
		ok := resp.StatusCode() == tc.status
		if sub, isSub := strings.CutPrefix(tc.body, "~"); isSub {
			ok = ok && strings.Contains(got, sub)
		} else {
			ok = ok && got == tc.body
		}
		if !ok {
			t.Errorf("%s %s = %d %s\nwant %d %s", tc.method, tc.target, resp.StatusCode(), got, tc.status, tc.body)
		}
		join := func(key string) string {
			var vs []string
			for _, v := range resp.Header.PeekAll(key) {
				vs = append(vs, string(v))
			}
			return strings.Join(vs, " ")
		}
		if got := join("X-In"); got != tc.in {
			t.Errorf("%s %s: X-In %q, want %q", tc.method, tc.target, got, tc.in)
		}
		if got := join("X-Out"); got != tc.out {
			t.Errorf("%s %s: X-Out %q, want %q", tc.method, tc.target, got, tc.out)
		}
		if got := string(resp.Header.Peek("X-Route")); got != tc.route {
			t.Errorf("%s %s: X-Route %q, want %q", tc.method, tc.target, got, tc.route)
		}
	}
}

func TestRoutesTable(t *testing.T) {
	var got []string
	for _, rt := range NewRouter().Routes() {
		got = append(got, rt.Method+" "+rt.Pattern+" "+rt.Name)
	}
	want := []string{"GET /g/all All", "GET /g/rev Rev", "POST /g/rev Rev", "GET /g/group-only GroupOnly", "GET /g/ctx Ctx", "GET /plain Plain", "GET /bare Bare"}
	if !slices.Equal(got, want) {
		t.Errorf("routes %q, want %q", got, want)
	}
}
