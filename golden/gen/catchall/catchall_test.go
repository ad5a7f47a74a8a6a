package catchall

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestCatchAll(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		target string
		status int
		body   string
	}{
		{"/static/app.js", 200, "file=app.js"},
		{"/static/css/site.css", 200, "file=css/site.css"},
		{"/static/", 200, "file="},
		{"/static/a/", 200, "file=a/"},
		{"/static", 404, ""},
		{"/staticx/a", 404, ""},
		{"/raw/x/y/z", 200, "x/y/z"},
		{"/n/41", 200, "42"},
		{"/n/4/1", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"num\": \"4/1\" is not a valid uint16"}`},
		{"/n/", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"num\": \"\" is not a valid uint16"}`},
		{"/split/a/b/c", 200, "3"},
		{"/split/", 200, "0"},
		{"/v/2/a/b", 200, "v2 a/b"},
		{"/v/2/", 200, "v2 "},
		{"/v/2", 404, ""},
		{"/v/x/a", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"version\": \"x\" is not a valid int"}`},
	} {
		resp := kktest.Do(r, "GET", tc.target)
		if resp.StatusCode() != tc.status || (tc.status != 404 && string(resp.Body()) != tc.body) {
			t.Errorf("GET %s = %d %s; want %d %s", tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
	resp := kktest.Do(r, "HEAD", "/static/a/b")
	if resp.StatusCode() != 200 || resp.Header.ContentLength() != len("file=a/b") {
		t.Errorf("HEAD /static/a/b = %d length %d; want 200 length 8", resp.StatusCode(), resp.Header.ContentLength())
	}
}
