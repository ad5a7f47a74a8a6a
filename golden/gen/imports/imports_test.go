package imports

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestImports(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		target string
		status int
		body   string
	}{
		{"/v1/users/12", 200, "v1 ids.UserID 12"},
		{"/v1/users/3000000000", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"id\": \"3000000000\" is out of range for int32"}`},
		{"/v2/users/u-ann", 200, "v2 ids.UserID ann"},
		{"/v2/users/ann", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"id\": \"ann\" is not a valid ids.UserID: want a \"u-\" prefix"}`},
		{"/both/1/u-b", 200, "1 b"},
		{"/short/abc", 200, "uuid.Short abc"},
		{"/sleep/1.5s/3", 200, "1.5s March"},
		{"/sleep/1h2m300ms/3", 200, "1h2m0.3s March"},
		{"/sleep/1500000000/3", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"d\": \"1500000000\" is not a valid time.Duration: want a Go duration such as 300ms, 1.5s or 1h30m"}`},
		{"/aliased/7/u-x/y", 200, "7 x y"},
		{"/aliased/7/x/y", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"ids3\": \"x\" is not a valid ids.UserID: want a \"u-\" prefix"}`},
		{"/addr/10.0.0.1/::1", 200, "10.0.0.1 ::1 package ids"},
		{"/addr/10.0.0.1/x", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"netip2\": \"x\" is not a valid netip.Addr: ParseAddr(\"x\"): unable to parse IP"}`},
	} {
		resp := kktest.Do(r, "GET", tc.target)
		if resp.StatusCode() != tc.status || string(resp.Body()) != tc.body {
			t.Errorf("GET %s = %d %s; want %d %s", tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
	if ids != "package ids" || netip != "package netip" {
		t.Errorf("package-level ids, netip = %q, %q", ids, netip)
	}
}
