package extmethods

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestExtensionMethods(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		method, target string
		status         int
		body           string
	}{
		{"M-SEARCH", "/devices/d1", 200, "m-search d1"},
		{"M_SEARCH", "/devices/d1", 200, "m_search d1"},
		{"PROPFIND", "/devices/d1", 200, "propfind d1"},
		{"PROPFIND", "/dav/a/b.txt", 200, "propfind dav a/b.txt"},
		{"M-SEARCH", "/", 204, ""},
		{"GET", "/devices", 200, "list"},
		{"VERSION-CONTROL", "/dav/a", 200, "version-control a"},
		{"M-SEARCH", "/nothing", 404, `{"type":"about:blank","title":"Not Found","status":404,"detail":"no route for M-SEARCH /nothing"}`},
	} {
		resp := kktest.Do(r, tc.method, tc.target)
		if resp.StatusCode() != tc.status || string(resp.Body()) != tc.body {
			t.Errorf("%s %s = %d %s; want %d %s", tc.method, tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
}

func TestExtensionMethodsNotAllowed(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		method, target, allow string
	}{
		{"GET", "/devices/d1", "M-SEARCH, M_SEARCH, PROPFIND"},
		{"M-SEARCH", "/dav/x", "PROPFIND, VERSION-CONTROL"},
		{"PROPFIND", "/", "M-SEARCH"},
		{"M-SEARCH", "/devices", "GET, HEAD, QUERY"},
		{"GET", "/dav/x", "PROPFIND, VERSION-CONTROL"},
		{"SEARCH", "/devices/d1", "M-SEARCH, M_SEARCH, PROPFIND"},
	} {
		resp := kktest.Do(r, tc.method, tc.target)
		if resp.StatusCode() != 405 || string(resp.Header.Peek("Allow")) != tc.allow {
			t.Errorf("%s %s = %d Allow %q; want 405 Allow %q", tc.method, tc.target, resp.StatusCode(), resp.Header.Peek("Allow"), tc.allow)
		}
		want := `{"type":"about:blank","title":"Method Not Allowed","status":405,"detail":"method ` + tc.method + ` not allowed for ` + tc.target + `; allowed: ` + tc.allow + `"}`
		if string(resp.Body()) != want {
			t.Errorf("%s %s body = %s; want %s", tc.method, tc.target, resp.Body(), want)
		}
	}
}

// TestQueryTakesABody: QUERY is registered (safe, idempotent, with a body).
func TestQueryTakesABody(t *testing.T) {
	resp := kktest.Serve(NewRouter(), kktest.NewRequest("QUERY", "/devices", []byte("kind=lamp")))
	if resp.StatusCode() != 200 || string(resp.Body()) != "query kind=lamp" {
		t.Errorf("QUERY /devices = %d %s; want 200 query kind=lamp", resp.StatusCode(), resp.Body())
	}
}
