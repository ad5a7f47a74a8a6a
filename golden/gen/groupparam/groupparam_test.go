package groupparam

import (
	"strings"
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestGroupParam(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		target string
		status int
		body   string // exact, or "~substr"
		org    string // X-Org: set by the group's middleware only
	}{
		{"/orgs/acme/repos?page=2", 200, "acme repos page 2", "acme"},
		{"/orgs/acme/repos/kk?tab=issues", 200, `{"Org":"acme","Name":"kk","Tab":"issues"}`, "acme"},
		{"/orgs/acme/repos/kk", 200, `{"Org":"acme","Name":"kk","Tab":"code"}`, "acme"},
		{"/orgs/acme/members/7", 200, "acme/7", "acme"},
		// The middleware runs before the wrapper decodes.
		{"/orgs/acme/members/70000", 400, `~path parameter \"id\": \"70000\" is out of range for uint16`, "acme"},
		{"/orgs/acme/files/a/b.txt", 200, "acme:a/b.txt", "acme"},
		{"/orgs/acme/files/", 200, "acme:", "acme"},
		{"/orgs/caf%C3%A9/repos", 200, "café repos page 0", "café"},
		// "/" under the group is the prefix with a trailing slash; without
		// it the ungrouped route answers.
		{"/orgs/acme/", 200, "home of acme", "acme"},
		{"/orgs/acme", 200, "org acme", ""},
		// A static route of another file beats the group's parameter, and
		// falls back to it when it leads nowhere.
		{"/orgs/new", 200, "new org form", ""},
		{"/orgs/new/repos", 200, "new repos page 0", "new"},
		{"/orgs/blocked/repos", 403, `{"type":"about:blank","title":"Forbidden","status":403,"detail":"org blocked is blocked"}`, ""},
		{"/orgs/blocked", 200, "org blocked", ""},
		// Empty segments are cleaned before matching: this is /orgs/repos.
		{"/orgs//repos", 200, "org repos", ""},
		{"/users/12/profile", 200, "12", ""},
		{"/users/x/profile", 400, `~path parameter \"id\": \"x\" is not a valid int64`, ""},
		{"/users/3/orgs/kk", 200, "3@kk", ""},
		{"/users/3", 404, "~no route", ""},
	} {
		resp := kktest.Do(r, "GET", tc.target)
		got := string(resp.Body())
		ok := resp.StatusCode() == tc.status
		if sub, isSub := strings.CutPrefix(tc.body, "~"); isSub {
			ok = ok && strings.Contains(got, sub)
		} else {
			ok = ok && got == tc.body
		}
		if !ok {
			t.Errorf("GET %s = %d %s\nwant %d %s", tc.target, resp.StatusCode(), got, tc.status, tc.body)
		}
		if got := string(resp.Header.Peek("X-Org")); got != tc.org {
			t.Errorf("GET %s: X-Org %q, want %q", tc.target, got, tc.org)
		}
	}
}
