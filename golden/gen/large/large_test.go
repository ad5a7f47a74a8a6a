package large

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

// TestEveryRoute requests a concrete path for every route and checks that
// exactly that route's handler answered, with its parameters.
func TestEveryRoute(t *testing.T) {
	r := NewRouter()
	routes := r.Routes()
	if len(routes) < 150 {
		t.Fatalf("only %d routes", len(routes))
	}
	for i, rt := range routes {
		var path []string
		want := []string{rt.Name}
		for j, seg := range strings.Split(rt.Pattern[1:], "/") {
			switch {
			case strings.HasPrefix(seg, ":"):
				v := fmt.Sprintf("v%d-%d", i, j)
				path = append(path, v)
				want = append(want, v)
			case strings.HasPrefix(seg, "*"):
				path = append(path, "a/b.txt")
				want = append(want, "a/b.txt")
			default:
				path = append(path, seg)
			}
		}
		target := "/" + strings.Join(path, "/")
		resp := kktest.Do(r, rt.Method, target)
		if got := string(resp.Body()); resp.StatusCode() != 200 || got != strings.Join(want, " ") {
			t.Errorf("%s %s (route %s %s) = %d %q; want 200 %q", rt.Method, target, rt.Method, rt.Pattern, resp.StatusCode(), got, strings.Join(want, " "))
		}
	}
}

func TestMisses(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		method, target string
		status         int
		body           string
	}{
		{"GET", "/repo", 404, ""},
		{"GET", "/repos/1/events/x", 404, ""},
		{"GET", "/repos/1/raw", 404, ""},
		{"GET", "/reposx", 404, ""},
		{"GET", "/userx/1", 404, ""},
		{"GET", "/repos/1/raw/", 200, "ReposRaw 1 "},
		{"GET", "/repositories/1/raw/x", 404, ""},
		{"GET", "/user/search", 200, "FindUser"},
		{"GET", "/users/search", 200, "FindUsers"},
		{"GET", "/users/searchx", 200, "GetUsers searchx"},
		{"GET", "/users/search/events", 200, "UsersEvents search"},
		{"GET", "/search/search", 200, "FindSearch"},
		{"GET", "/search/items/events", 200, "SearchEvents items"},
		{"GET", "/v1/", 200, "V1 "},
		{"GET", "/v1", 404, ""},
		{"PUT", "/repos/1", 405, ""},
		{"POST", "/repos/1", 405, ""},
		{"DELETE", "/repos", 405, ""},
	} {
		resp := kktest.Do(r, tc.method, tc.target)
		if resp.StatusCode() != tc.status || (tc.status == 200 && string(resp.Body()) != tc.body) {
			t.Errorf("%s %s = %d %q; want %d %q", tc.method, tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
	if got := string(kktest.Do(r, "PUT", "/repos/1").Header.Peek("Allow")); got != "DELETE, GET, HEAD, PATCH" {
		t.Errorf("PUT /repos/1 Allow = %q; want DELETE, GET, HEAD, PATCH", got)
	}
}
