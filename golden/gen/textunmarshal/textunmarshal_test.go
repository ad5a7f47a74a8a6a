package textunmarshal

import (
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
	// A decoder error wrapping strconv.ErrSyntax keeps its whole message.
	resp := kktest.Do(r, "GET", "/point/3,x")
	if want := bad + `p\": \"3,x\" is not a valid Point: strconv.Atoi: parsing \"x\": invalid syntax"}`; resp.StatusCode() != 400 || string(resp.Body()) != want {
		t.Errorf("GET /point/3,x = %d %s; want 400 %s", resp.StatusCode(), resp.Body(), want)
	}
}

// TestDecoderErrors covers decoder errors that wrap errors with meanings
// of their own: a //kk:error sentinel (the request is still a 400, not the
// sentinel's status) and strconv's ErrRange and ErrSyntax (the decoder's
// message is kept in full, not replaced by kk's own wording).
func TestDecoderErrors(t *testing.T) {
	r := NewRouter()
	const bad = `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"c\": `
	for _, tc := range []struct {
		target string
		status int
		body   string
	}{
		{"/color/red", 200, "color 1"},
		{"/color/7", 200, "color 7"},
		// The handler's own error: the sentinel's status.
		{"/color/0", 404, `{"type":"about:blank","title":"Not Found","status":404,"detail":"color 0: no such color"}`},
		// The decoder's error wraps the same sentinel: still a 400.
		{"/color/blue", 400, bad + `\"blue\" is not a valid Color: color \"blue\": no such color"}`},
		// The decoder's error has a StatusCode method: still a 400.
		{"/color/none", 400, bad + `\"none\" is not a valid Color: none is gone"}`},
		{"/color/300", 400, bad + `\"300\" is not a valid Color: color number: strconv.ParseUint: parsing \"300\": value out of range"}`},
		{"/color/3x", 400, bad + `\"3x\" is not a valid Color: color number: strconv.ParseUint: parsing \"3x\": invalid syntax"}`},
	} {
		resp := kktest.Do(r, "GET", tc.target)
		if resp.StatusCode() != tc.status || string(resp.Body()) != tc.body {
			t.Errorf("GET %s = %d %s; want %d %s", tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
}
