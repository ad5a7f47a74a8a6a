package staticroot

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestStaticRoot(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		method, path string
		status       int
		body, allow  string
	}{
		{"GET", "/", 200, "<h1>home</h1>\n", ""},
		{"GET", "/index.html", 200, "<h1>home</h1>\n", ""},
		{"GET", "/docs/guide.txt", 200, "guide\n", ""},
		{"GET", "/api/hello", 200, "hello", ""},
		{"GET", "/api/missing", 404, "", ""},
		{"GET", "/docs/", 404, "", ""},
		{"POST", "/api/items", 200, "created", ""},
		// Every path is under the site, so another method is 405, as
		// for any catch-all GET route.
		{"POST", "/index.html", 405, "", "GET, HEAD"},
		{"DELETE", "/api/items", 405, "", "GET, HEAD, POST"},
	} {
		resp := kktest.Do(r, tc.method, tc.path)
		if resp.StatusCode() != tc.status || (tc.status == 200 && string(resp.Body()) != tc.body) ||
			string(resp.Header.Peek("Allow")) != tc.allow {
			t.Errorf("%s %s = %d %q Allow %q; want %d %q Allow %q", tc.method, tc.path, resp.StatusCode(), resp.Body(),
				resp.Header.Peek("Allow"), tc.status, tc.body, tc.allow)
		}
	}
}
