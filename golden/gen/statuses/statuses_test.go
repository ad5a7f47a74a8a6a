package statuses

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

type call struct {
	method, target string
	status         int
	body           string            // exact, or "~substr"
	header         map[string]string // exact values; "" means absent
}

func TestStatuses(t *testing.T) {
	r := NewRouter()
	r.SetLogger(slog.New(slog.DiscardHandler))
	for _, tc := range []call{
		{"POST", "/things?name=a", 201, `{"id":1,"name":"a"}`, map[string]string{"Location": "/things/1", "Content-Type": "application/json"}},
		// An error's status replaces the declared one.
		{"POST", "/things?name=taken", 409, `{"type":"about:blank","title":"Conflict","status":409,"detail":"name taken"}`, map[string]string{"Location": ""}},
		{"POST", "/jobs", 202, "queued", map[string]string{"Content-Type": "text/plain; charset=utf-8"}},
		// A declared status other than 200 stays, with no body.
		{"POST", "/marks", 201, "", nil},
		{"DELETE", "/things/5", 204, "", nil},
		{"DELETE", "/things/-1", 404, `~no such thing`, nil},
		{"DELETE", "/things/0", 500, `{"type":"about:blank","title":"Internal Server Error","status":500}`, nil},
		{"DELETE", "/things/x", 400, `~path parameter \"id\"`, nil},
		{"PUT", "/flags/a", 204, "", nil},
		{"PUT", "/notes", 200, "noted", nil},

		{"GET", "/resp/text", 200, "plain", map[string]string{"X-Kind": "text", "Content-Type": "text/plain; charset=utf-8"}},
		{"GET", "/resp/text?code=226", 226, "plain", map[string]string{"X-Kind": "text"}},
		{"GET", "/resp/bytes", 200, "GIF89a", map[string]string{"Content-Type": "image/gif"}},
		{"GET", "/resp/json", 203, `{"id":2,"name":"two"}`, map[string]string{"X-A": "1", "X-B": "2", "Content-Type": "application/json"}},
		// With an error, the Response is not written at all.
		{"GET", "/resp/json?fail=1", 418, `~teapot`, map[string]string{"X-Lost": "", "Content-Type": "application/problem+json"}},
		// 204 sends no body, whatever Body holds, but keeps the headers.
		{"GET", "/resp/empty", 204, "", map[string]string{"X-Deleted": "2"}},
		{"GET", "/resp/stream", 206, "ababab", map[string]string{"Content-Type": "application/octet-stream"}},
		{"POST", "/resp/declared", 201, "declared", nil},
		{"POST", "/resp/declared?override=1", 200, "overridden", nil},

		{"GET", "/cookie", 200, "<b>hi</b>", map[string]string{"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Set-Cookie": "session=abc; HttpOnly"}},
		{"GET", "/moved", 308, "", map[string]string{"Location": "/things"}},
		{"GET", "/moved?to=/x%3Fy%3D1", 308, "", map[string]string{"Location": "/x?y=1"}},
		{"GET", "/stream?n=5", 200, "xxxxx", map[string]string{"Content-Type": "application/octet-stream"}},
		{"GET", "/stream", 200, "", nil},

		// HEAD keeps the status and headers and drops the body.
		{"HEAD", "/resp/json", 203, "", map[string]string{"X-A": "1", "Content-Length": "21"}},
		{"HEAD", "/stream?n=3", 200, "", map[string]string{"Content-Length": "3"}},
	} {
		resp := kktest.Serve(r, kktest.NewRequest(tc.method, tc.target, nil))
		got := string(resp.Body())
		ok := resp.StatusCode() == tc.status
		if sub, isSub := strings.CutPrefix(tc.body, "~"); isSub {
			ok = ok && strings.Contains(got, sub)
		} else {
			ok = ok && got == tc.body
		}
		if !ok {
			t.Errorf("%s %s = %d %q\nwant %d %q", tc.method, tc.target, resp.StatusCode(), got, tc.status, tc.body)
		}
		for k, want := range tc.header {
			if got := string(resp.Header.Peek(k)); got != want {
				t.Errorf("%s %s: header %s = %q, want %q", tc.method, tc.target, k, got, want)
			}
		}
	}
}
