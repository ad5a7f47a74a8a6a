package wrappernames

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestWrapperNames(t *testing.T) {
	r := NewRouter()
	const missing = `{"type":"about:blank","title":"Not Found","status":404,"detail":`
	for _, tc := range []struct {
		method, target string
		status         int
		body           string
	}{
		{"GET", "/lower/1", 200, "getUser 1"},
		{"GET", "/upper/2", 200, "GetUser 2"},
		{"GET", "/file/a", 200, "File"},
		{"GET", "/file/b", 200, "File"},
		{"GET", "/file2", 200, "File2"},
		{"GET", "/match/m", 200, "Match m"},
		{"GET", "/match/none", 404, missing + `"missing"}`},
		{"GET", "/matchget", 200, "MatchGET"},
		{"POST", "/matchpost", 200, "MatchPOST"},
		{"GET", "/status/7", 200, "7"},
		{"GET", "/status/404", 404, missing + `"status 404: missing"}`},
	} {
		resp := kktest.Do(r, tc.method, tc.target)
		if resp.StatusCode() != tc.status || string(resp.Body()) != tc.body {
			t.Errorf("%s %s = %d %s; want %d %s", tc.method, tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
	// Each route has its own wrapper: the routing table names each func.
	for i, want := range []string{"getUser", "GetUser", "File", "File", "File2", "Match", "MatchGET", "MatchPOST", "StatusOf"} {
		if got := r.Routes()[i].Name; got != want {
			t.Errorf("route %d is %s; want %s", i, got, want)
		}
	}
}
