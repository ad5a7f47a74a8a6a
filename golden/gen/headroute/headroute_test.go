package headroute

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestHeadRoute(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		method, target string
		status         int
		header, value  string
		length         int
	}{
		{"HEAD", "/explicit", 204, "X-Head", "explicit", 0},
		{"GET", "/explicit", 200, "X-Head", "from GET", len("explicit body")},
		{"HEAD", "/docs", 200, "Content-Type", "text/plain; charset=utf-8", len("documentation")},
		{"HEAD", "/head-only/5", 204, "X-Id", "5", 0},
		{"HEAD", "/head-only/x", 400, "Content-Type", "application/problem+json", -1},
		{"GET", "/head-only/5", 405, "Allow", "HEAD", -1},
	} {
		resp := kktest.Do(r, tc.method, tc.target)
		length := len(resp.Body())
		if tc.method == "HEAD" {
			length = resp.Header.ContentLength()
		}
		if resp.StatusCode() != tc.status || string(resp.Header.Peek(tc.header)) != tc.value || (tc.length >= 0 && length != tc.length) {
			t.Errorf("%s %s = %d %s: %q, length %d; want %d %q, length %d", tc.method, tc.target,
				resp.StatusCode(), tc.header, resp.Header.Peek(tc.header), length, tc.status, tc.value, tc.length)
		}
		if tc.method == "HEAD" && len(resp.Body()) != 0 {
			t.Errorf("%s %s has a body: %q", tc.method, tc.target, resp.Body())
		}
	}
}

// TestAllowListsHeadServedByGet: GET /docs also serves HEAD /docs, so a 405
// for /docs must allow HEAD, even though the package has HEAD routes for
// other paths.
func TestAllowListsHeadServedByGet(t *testing.T) {
	r := NewRouter()
	if resp := kktest.Do(r, "HEAD", "/docs"); resp.StatusCode() != 200 {
		t.Fatalf("HEAD /docs = %d; want 200", resp.StatusCode())
	}
	resp := kktest.Do(r, "POST", "/docs")
	if resp.StatusCode() != 405 || string(resp.Header.Peek("Allow")) != "GET, HEAD" {
		t.Errorf("POST /docs = %d Allow %q; want 405 Allow %q", resp.StatusCode(), resp.Header.Peek("Allow"), "GET, HEAD")
	}
}
