package textunmarshal

import (
	"strings"
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestTextUnmarshaler(t *testing.T) {
	r := NewRouter()
	const bad = `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"`
	for _, tc := range []struct {
		target string
		status int
		body   string
	}{
		{"/point/3,4", 200, `{"X":3,"Y":4}`},
		{"/point/34", 400, bad + `p\": \"34\" is not a valid Point: want X,Y"}`},
		{"/level/debug", 200, "-4"},
		{"/level/error", 200, "8"},
		{"/level/8", 400, bad + `l\": \"8\" is not a valid Level: unknown level \"8\""}`},
		{"/upper/abc", 200, "ABC"},
		{"/addr/10.0.0.1/1,2", 200, "10.0.0.1 is4=true 3"},
		{"/addr/::1/1,2", 200, "::1 is4=false 3"},
		{"/addr/10.0.0.256/1,2", 400, bad + `a\": \"10.0.0.256\" is not a valid netip.Addr: ParseAddr(\"10.0.0.256\"): IPv4 field has value \u003e255"}`},
		{"/addr/10.0.0.1/nope", 400, bad + `p\": \"nope\" is not a valid Point: want X,Y"}`},
	} {
		resp := kktest.Do(r, "GET", tc.target)
		if resp.StatusCode() != tc.status || string(resp.Body()) != tc.body {
			t.Errorf("GET %s = %d %s; want %d %s", tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
	// A decoder error wrapping a strconv error: the contract only asks that
	// the body name the parameter.
	resp := kktest.Do(r, "GET", "/point/3,x")
	if want := bad + `p\": \"3,x\" is not a valid Point`; resp.StatusCode() != 400 || !strings.HasPrefix(string(resp.Body()), want) {
		t.Errorf("GET /point/3,x = %d %s; want 400 %s...", resp.StatusCode(), resp.Body(), want)
	}
}
