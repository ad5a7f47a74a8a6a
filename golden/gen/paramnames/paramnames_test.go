package paramnames

import (
	"strconv"
	"strings"
	"testing"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

func TestParamNames(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		method, target string
		status         int
		body           string
	}{
		{"GET", "/orgs/acme", 200, "org acme"},
		{"GET", "/orgs/acme/repos", 200, "repos of acme"},
		{"GET", "/orgs/acme/repos/kk", 200, "repo acme/kk"},
		{"GET", "/orgs/acme/repos/kk/issues/12", 200, "issue acme/kk#12"},
		{"GET", "/orgs/acme/repos/kk/issues/x", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"n\": \"x\" is not a valid int"}`},
		{"GET", "/orgs/acme/teams/a", 200, "rest acme teams/a"},
		{"GET", "/orgs/acme/repos/kk/pulls", 200, "rest acme repos/kk/pulls"},
		{"DELETE", "/orgs/12", 200, "deleted 12"},
		{"DELETE", "/orgs/acme", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"id\": \"acme\" is not a valid int"}`},
		{"PUT", "/orgs/acme/repos/3", 200, "put acme 3"},
	} {
		resp := kktest.Do(r, tc.method, tc.target)
		if resp.StatusCode() != tc.status || string(resp.Body()) != tc.body {
			t.Errorf("%s %s = %d %s; want %d %s", tc.method, tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
}

func TestMaxParams(t *testing.T) {
	var segs []string
	for i := 0; i < 32; i++ {
		segs = append(segs, strconv.Itoa(i))
	}
	resp := kktest.Do(NewRouter(), "GET", "/max/"+strings.Join(segs, "/"))
	if want := strings.Join(segs, ","); resp.StatusCode() != 200 || string(resp.Body()) != want {
		t.Errorf("GET /max/0/.../31 = %d %s; want 200 %s", resp.StatusCode(), resp.Body(), want)
	}
	resp = kktest.Do(NewRouter(), "GET", "/max/"+strings.Join(segs, "/")+"/32")
	if resp.StatusCode() != 404 {
		t.Errorf("GET /max/0/.../32 = %d; want 404", resp.StatusCode())
	}
}

// TestParamByName checks that Ctx.Param uses the matched route's names.
func TestParamByName(t *testing.T) {
	r := NewRouter()
	got := map[string]string{}
	r.Use(func(next kk.Handler) kk.Handler {
		return func(c *kk.Ctx) error {
			err := next(c)
			if rt := c.Route(); rt != nil {
				s := ""
				for _, p := range rt.Params {
					s += p + "=" + c.Param(p) + " "
				}
				got[rt.Name] = s
			}
			return err
		}
	})
	kktest.Do(r, "GET", "/orgs/a")
	kktest.Do(r, "GET", "/orgs/b/repos")
	kktest.Do(r, "GET", "/orgs/c/repos/d")
	kktest.Do(r, "GET", "/orgs/e/repos/f/issues/1")
	kktest.Do(r, "DELETE", "/orgs/2")
	for name, want := range map[string]string{
		"Org":       "org=a ",
		"Repos":     "name=b ",
		"Repo":      "owner=c repo=d ",
		"Issue":     "o=e r=f n=1 ",
		"DeleteOrg": "id=2 ",
	} {
		if got[name] != want {
			t.Errorf("params of %s = %q; want %q", name, got[name], want)
		}
	}
}
