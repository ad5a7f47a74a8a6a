package kk_test

import (
	"regexp"
	"strings"
	"testing"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// requestIDRouter answers /hello with the ID RequestIDOf finds, behind mw.
func requestIDRouter(mw ...kk.Middleware) *kk.Router {
	r := kk.New(table(map[string]kk.Handler{
		"Hello": func(c *kk.Ctx) error { return kk.Text(c, kk.RequestIDOf(c)) },
	}))
	r.Use(mw...)
	return r
}

// TestRequestID: a client's reasonable X-Request-ID is kept; a missing,
// empty, oversized or non-printable one is replaced by 16 hex characters,
// different for each request; handlers and the response header see the
// same ID.
func TestRequestID(t *testing.T) {
	r := requestIDRouter(kk.RequestID())
	generated := regexp.MustCompile(`^[0-9a-f]{16}$`)
	seen := map[string]bool{}
	for _, tc := range []struct {
		name, sent string
		kept       bool
	}{
		{"none", "", false},
		{"reasonable", "req-42/abc", true},
		{"128 bytes", strings.Repeat("a", 128), true},
		{"129 bytes", strings.Repeat("a", 129), false},
		{"a space", "two words", false},
		{"a control byte", "a\x01b", false},
		{"non-ASCII", "caf\xc3\xa9", false},
	} {
		req := kktest.NewRequest("GET", "/hello", nil)
		if tc.sent != "" {
			req.Header.Set(kk.RequestIDHeader, tc.sent)
		}
		resp := kktest.Serve(r, req)
		header, body := string(resp.Header.Peek(kk.RequestIDHeader)), string(resp.Body())
		if header != body {
			t.Errorf("%s: header %q, handler saw %q; want the same ID", tc.name, header, body)
		}
		switch {
		case tc.kept && header != tc.sent:
			t.Errorf("%s: ID %q, want the client's %q", tc.name, header, tc.sent)
		case !tc.kept && !generated.MatchString(header):
			t.Errorf("%s: ID %q, want 16 generated hex characters", tc.name, header)
		case !tc.kept && seen[header]:
			t.Errorf("%s: generated ID %q twice", tc.name, header)
		}
		seen[header] = true
	}
}

// TestRequestIDTwice: a second RequestID in the chain keeps the first's ID.
func TestRequestIDTwice(t *testing.T) {
	var outer string
	record := func(next kk.Handler) kk.Handler {
		return func(c *kk.Ctx) error { outer = kk.RequestIDOf(c); return next(c) }
	}
	resp := kktest.Do(requestIDRouter(kk.RequestID(), record, kk.RequestID()), "GET", "/hello")
	if all := resp.Header.PeekAll(kk.RequestIDHeader); outer == "" || len(all) != 1 || string(all[0]) != outer || string(resp.Body()) != outer {
		t.Errorf("two RequestIDs: the outer gave %q; headers %q, handler saw %q; want the outer's ID throughout", outer, all, resp.Body())
	}
}

// TestRequestIDOfWithout: without the middleware there is no ID.
func TestRequestIDOfWithout(t *testing.T) {
	resp := kktest.Do(requestIDRouter(), "GET", "/hello")
	if len(resp.Body()) != 0 || len(resp.Header.Peek(kk.RequestIDHeader)) != 0 {
		t.Errorf("no RequestID: handler saw %q, header %q; want neither", resp.Body(), resp.Header.Peek(kk.RequestIDHeader))
	}
}
