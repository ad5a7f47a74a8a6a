package pkglocals

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestPackageLevelLocals(t *testing.T) {
	r := NewRouter()
	const odd = `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":`
	for _, tc := range []struct {
		method, target string
		status         int
		body           string
	}{
		{"GET", "/c", 200, "c package res"},
		{"GET", "/t/4", 200, "T 4 package res"},
		{"GET", "/t/3", 422, odd + `"3: odd"}`},
		{"GET", "/t/x", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"v\": \"x\" is not a valid int"}`},
		{"GET", "/res/a/5/true", 200, "a 5 true package res"},
		{"GET", "/res/a/b/true", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"kkErr\": \"b\" is not a valid int"}`},
		{"DELETE", "/t/2", 204, ""},
		{"DELETE", "/t/1", 422, odd + `"odd"}`},
		{"GET", "/value/21", 200, "42"},
	} {
		resp := kktest.Do(r, tc.method, tc.target)
		if resp.StatusCode() != tc.status || string(resp.Body()) != tc.body {
			t.Errorf("%s %s = %d %s; want %d %s", tc.method, tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
	resp := kktest.Do(r, "GET", "/res/a/5/true")
	if got := string(resp.Header.Peek("X-Route")); got != "/res/:kkCtx/:kkErr/:kkRes" {
		t.Errorf("X-Route = %q; want the route's pattern", got)
	}
}
