package errormap

import (
	"bytes"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func problem(status int, title, detail string) string {
	s := `{"type":"about:blank","title":"` + title + `","status":` + strconv.Itoa(status)
	if detail != "" {
		s += `,"detail":"` + detail + `"`
	}
	return s + "}"
}

func TestErrorMapping(t *testing.T) {
	r := NewRouter()
	var logs bytes.Buffer
	r.SetLogger(slog.New(slog.NewTextHandler(&logs, nil)))
	for _, tc := range []struct {
		name   string
		status int
		body   string
		logged string // for a 5xx: what the log must hold
	}{
		{"notfound", 404, problem(404, "Not Found", "not found"), ""},
		{"notfound-w", 404, problem(404, "Not Found", "user 7: not found"), ""},
		{"notfound-ww", 404, problem(404, "Not Found", "outer: inner: not found"), ""},
		{"gone", 410, problem(410, "Gone", "gone"), ""},
		{"forbidden", 403, problem(403, "Forbidden", "forbidden"), ""},
		{"banned-w", 403, problem(403, "Forbidden", "banned: banned"), ""},
		{"joined", 410, problem(410, "Gone", `first\ngone`), ""},
		{"maintenance", 503, problem(503, "Service Unavailable", ""), "hunter2"},
		{"valid", 422, problem(422, "Unprocessable Entity", "invalid name"), ""},
		{"valid-w", 422, problem(422, "Unprocessable Entity", "create: invalid email"), ""},
		{"rate", 429, problem(429, "Too Many Requests", "rate limited"), ""},
		{"rate-ptr", 429, problem(429, "Too Many Requests", "rate limited"), ""},
		{"rate-w", 429, problem(429, "Too Many Requests", "slow down: rate limited"), ""},
		{"temporary", 502, problem(502, "Bad Gateway", ""), "upstream secret detail"},
		{"teapot", 418, problem(418, "I'm a teapot", "short and stout"), ""},
		{"teapot-w", 418, problem(418, "I'm a teapot", "brewing: short and stout"), ""},
		{"conflict", 409, problem(409, "Conflict", "conflict"), ""},
		{"redirect", 500, problem(500, "Internal Server Error", ""), "moved"},
		{"kkerror", 451, problem(451, "Unavailable For Legal Reasons", "unavailable for legal reasons"), ""},
		{"kkerror-w", 402, problem(402, "Payment Required", "ctx: pay up"), ""},
		{"kkerror-5xx", 500, problem(500, "Internal Server Error", ""), "stack trace here"},
		// The //kk:error annotation of the wrapped sentinel wins over the
		// StatusError's own status.
		{"kkerrorf", 404, problem(404, "Not Found", "bad input: not found"), ""},
		{"plain", 500, problem(500, "Internal Server Error", ""), "disk full at /var/secret"},
	} {
		for _, route := range []string{"/fail/", "/value/"} {
			logs.Reset()
			resp := kktest.Do(r, "GET", route+tc.name)
			if resp.StatusCode() != tc.status || string(resp.Body()) != tc.body {
				t.Errorf("GET %s%s = %d %s; want %d %s", route, tc.name, resp.StatusCode(), resp.Body(), tc.status, tc.body)
			}
			if ct := string(resp.Header.ContentType()); ct != "application/problem+json" {
				t.Errorf("GET %s%s Content-Type = %q; want application/problem+json", route, tc.name, ct)
			}
			if tc.status >= 500 {
				if !strings.Contains(logs.String(), tc.logged) {
					t.Errorf("GET %s%s logged %q; want it to hold %q", route, tc.name, logs.String(), tc.logged)
				}
			} else if logs.Len() > 0 {
				t.Errorf("GET %s%s logged %q; want nothing for a 4xx", route, tc.name, logs.String())
			}
		}
	}
	if resp := kktest.Do(r, "GET", "/fail/none"); resp.StatusCode() != 204 {
		t.Errorf("GET /fail/none = %d; want 204", resp.StatusCode())
	}
	if resp := kktest.Do(r, "GET", "/value/none"); resp.StatusCode() != 200 || string(resp.Body()) != "value" {
		t.Errorf("GET /value/none = %d %s; want 200 value", resp.StatusCode(), resp.Body())
	}
}

func TestStatusOf(t *testing.T) {
	r := NewRouter()
	for name, want := range map[string]int{"notfound-ww": 404, "rate-w": 429, "teapot": 418, "plain": 500, "temporary": 502} {
		if got := r.StatusOf(cases[name]); got != want {
			t.Errorf("StatusOf(%v) = %d; want %d", cases[name], got, want)
		}
	}
}
