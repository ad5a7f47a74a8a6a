package kk_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// TestRateLimitByClientIP: each client, as the trusted proxy names it,
// gets its own bucket of 2; the third request in a row answers 429 with
// Retry-After and a problem body, and the others are not affected.
func TestRateLimitByClientIP(t *testing.T) {
	r := kk.New(table(nil))
	r.Use(kk.RateLimit(kk.RateLimitConfig{Rate: 0.01, Burst: 2}))
	s := &kk.Server{Listener: loopback(t), Router: r, TrustedProxies: prefixes("127.0.0.0/8")}
	startRun(t, s)
	hc := &http.Client{Timeout: 10 * time.Second}
	defer hc.CloseIdleConnections()
	get := func(client string) (int, string, http.Header) {
		t.Helper()
		req, _ := http.NewRequest("GET", url(s, "/hello"), nil)
		req.Header.Set("X-Forwarded-For", client)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var p kk.Problem
		_ = json.NewDecoder(resp.Body).Decode(&p)
		return resp.StatusCode, p.Detail, resp.Header
	}
	for i, want := range []int{204, 204, 429, 429} {
		st, detail, h := get("198.51.100.1")
		if st != want {
			t.Fatalf("request %d: %d, want %d", i, st, want)
		}
		if st == 429 && (h.Get("Retry-After") != "100" || h.Get("Content-Type") != "application/problem+json" || detail == "") {
			t.Errorf("429: Retry-After %q, %s, detail %q", h.Get("Retry-After"), h.Get("Content-Type"), detail)
		}
	}
	if st, _, _ := get("198.51.100.2"); st != 204 {
		t.Errorf("another client: %d, want 204", st)
	}
}

// TestRateLimitByKey: a Key func picks the bucket; "" is not limited.
func TestRateLimitByKey(t *testing.T) {
	r := kk.New(table(nil))
	r.Use(kk.RateLimit(kk.RateLimitConfig{Rate: 0.01, Burst: 1, Key: func(c *kk.Ctx) string {
		return string(c.Request.Header.Peek("X-API-Key"))
	}}))
	s := &kk.Server{Listener: loopback(t), Router: r}
	startRun(t, s)
	hc := &http.Client{Timeout: 10 * time.Second}
	defer hc.CloseIdleConnections()
	do := func(key string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", url(s, "/hello"), nil)
		if key != "" {
			req.Header.Set("X-API-Key", key)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i, tc := range []struct {
		key  string
		want int
	}{{"a", 204}, {"a", 429}, {"b", 204}, {"", 204}, {"", 204}, {"", 204}} {
		if got := do(tc.key); got != tc.want {
			t.Errorf("request %d with key %q: %d, want %d", i, tc.key, got, tc.want)
		}
	}
}

func TestRateLimitConfigErrors(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("RateLimit without a Rate did not panic")
		}
	}()
	kk.RateLimit(kk.RateLimitConfig{Burst: 1})
}
