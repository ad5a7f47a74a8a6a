package results

import (
	"io"
	"log/slog"
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestResults(t *testing.T) {
	r := NewRouter()
	r.SetLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	const (
		text  = "text/plain; charset=utf-8"
		octet = "application/octet-stream"
		js    = "application/json"
		prob  = "application/problem+json"
	)
	for _, tc := range []struct {
		method, target string
		status         int
		ctype, body    string
	}{
		{"POST", "/none", 204, "", ""},
		{"POST", "/none-writes", 200, "", "written"},
		{"POST", "/none-status", 202, "", ""},
		{"DELETE", "/err/false", 204, "", ""},
		{"DELETE", "/err/true", 500, prob, `{"type":"about:blank","title":"Internal Server Error","status":500}`},
		{"DELETE", "/err-writes", 200, "text/csv", "a,b\n"},
		{"GET", "/text", 200, text, "héllo"},
		{"GET", "/empty-text", 200, text, ""},
		{"GET", "/bytes", 200, octet, "\x00\x01\x02\xff"},
		{"GET", "/nil-bytes", 200, octet, ""},
		{"GET", "/user", 200, js, `{"id":1,"name":"Ann \u003cadmin\u003e"}`},
		{"GET", "/user-ptr", 200, js, `{"id":2,"name":"Bob","email":"b@example.com"}`},
		{"GET", "/nil-ptr", 200, js, `null`},
		{"GET", "/list", 200, js, `[{"id":1,"name":""},{"id":2,"name":""}]`},
		{"GET", "/map", 200, js, `{"a":1,"b":2}`},
		{"GET", "/int", 200, js, `42`},
		{"GET", "/html", 200, js, `"\u003cb\u003e"`},
		{"GET", "/any", 200, js, `["x",1.5,true,null]`},
		{"GET", "/text-err/false", 200, text, "text ok"},
		{"GET", "/text-err/true", 409, prob, `{"type":"about:blank","title":"Conflict","status":409,"detail":"text failed"}`},
		{"GET", "/bytes-err/false", 200, octet, "bytes ok"},
		{"GET", "/bytes-err/true", 410, prob, `{"type":"about:blank","title":"Gone","status":410,"detail":"bytes failed"}`},
		{"GET", "/user-err/false", 200, js, `{"id":3,"name":"Cy"}`},
		{"GET", "/user-err/true", 422, prob, `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"user failed"}`},
		{"GET", "/unencodable", 500, prob, `{"type":"about:blank","title":"Internal Server Error","status":500}`},
	} {
		resp := kktest.Do(r, tc.method, tc.target)
		ctype := string(resp.Header.ContentType())
		if resp.StatusCode() != tc.status || (tc.ctype != "" && ctype != tc.ctype) || string(resp.Body()) != tc.body {
			t.Errorf("%s %s = %d %q %q; want %d %q %q", tc.method, tc.target, resp.StatusCode(), ctype, resp.Body(), tc.status, tc.ctype, tc.body)
		}
	}
}
