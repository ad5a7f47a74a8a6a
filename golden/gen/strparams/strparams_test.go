package strparams

import (
	"slices"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestStringParams(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		target, ctype, body string
	}{
		{"/keep/alpha", "text/plain; charset=utf-8", "alpha"},
		{"/name/bravo", "text/plain; charset=utf-8", "name bravo"},
		{"/bytes/xyz", "application/octet-stream", "bytes xyz"},
		{"/blob/four", "application/json", "4"},
		{"/two/l/r", "text/plain; charset=utf-8", "l+r"},
		{"/keep/a%20b", "text/plain; charset=utf-8", "a b"},
	} {
		resp := kktest.Do(r, "GET", tc.target)
		if resp.StatusCode() != 200 || string(resp.Header.ContentType()) != tc.ctype || string(resp.Body()) != tc.body {
			t.Errorf("GET %s = %d %q %q; want 200 %q %q", tc.target, resp.StatusCode(), resp.Header.ContentType(), resp.Body(), tc.ctype, tc.body)
		}
	}
	// An empty segment is not a parameter.
	if resp := kktest.Do(r, "GET", "/keep/"); resp.StatusCode() != 404 {
		t.Errorf("GET /keep/ = %d; want 404", resp.StatusCode())
	}
}

// TestStringIsCopy serves requests on one reused fasthttp.RequestCtx, as
// the server does, and checks that strings the handler kept did not change
// when the request buffers they were decoded from were overwritten.
func TestStringIsCopy(t *testing.T) {
	h := NewRouter().Handler()
	var rc fasthttp.RequestCtx
	serve := func(target string) {
		rc.Request.Reset()
		rc.Response.Reset()
		rc.Request.Header.SetMethod("GET")
		rc.Request.SetRequestURI(target)
		h(&rc)
		if rc.Response.StatusCode() != 200 {
			t.Fatalf("GET %s = %d", target, rc.Response.StatusCode())
		}
	}
	before := len(Kept())
	serve("/keep/first")
	serve("/name/second")
	for i := 0; i < 10; i++ {
		serve("/keep/XXXXX")
		serve("/name/YYYYYY")
	}
	got := Kept()[before:]
	if !slices.Equal(got[:4], []string{"first", "second", "XXXXX", "YYYYYY"}) {
		t.Errorf("kept strings = %q; want first, second, XXXXX, YYYYYY (string params must be copies)", got[:4])
	}
}
