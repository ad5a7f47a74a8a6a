package methods

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestMethods(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		method, target string
		status         int
		body           string
	}{
		{"POST", "/networks/create", 200, "created"},
		// POST /networks/create does not shadow GET /networks/:id.
		{"GET", "/networks/create", 200, "network create"},
		{"PUT", "/networks/create", 200, "put create"},
		{"DELETE", "/networks/create", 204, ""},
		{"GET", "/networks/n1", 200, "network n1"},
		{"GET", "/docs", 200, "documentation"},
		{"PATCH", "/only-patch", 200, "patched"},
		{"OPTIONS", "/networks/n1", 204, ""},
		{"PROPFIND", "/dav/x", 200, "propfind x"},
		{"GET", "/nothing", 404, `{"type":"about:blank","title":"Not Found","status":404,"detail":"no route for GET /nothing"}`},
		{"PUT", "/nothing", 404, `{"type":"about:blank","title":"Not Found","status":404,"detail":"no route for PUT /nothing"}`},
		{"HEAD", "/nothing", 404, ""},
	} {
		resp := kktest.Do(r, tc.method, tc.target)
		if resp.StatusCode() != tc.status || string(resp.Body()) != tc.body {
			t.Errorf("%s %s = %d %s; want %d %s", tc.method, tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
}

func TestHead(t *testing.T) {
	r := NewRouter()
	// Served by the GET route, headers and length but no body.
	resp := kktest.Do(r, "HEAD", "/docs")
	if resp.StatusCode() != 200 || len(resp.Body()) != 0 || string(resp.Header.Peek("X-Docs")) != "1" ||
		resp.Header.ContentLength() != len("documentation") || string(resp.Header.ContentType()) != "text/plain; charset=utf-8" {
		t.Errorf("HEAD /docs = %d len %d X-Docs %q %q %q; want 200 len 13 X-Docs 1, no body",
			resp.StatusCode(), resp.Header.ContentLength(), resp.Header.Peek("X-Docs"), resp.Header.ContentType(), resp.Body())
	}
	resp = kktest.Do(r, "HEAD", "/networks/n2")
	if resp.StatusCode() != 200 || resp.Header.ContentLength() != len("network n2") {
		t.Errorf("HEAD /networks/n2 = %d len %d; want 200 len 10", resp.StatusCode(), resp.Header.ContentLength())
	}
}

func TestMethodNotAllowed(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		method, target, allow string
	}{
		{"GET", "/only-patch", "PATCH"},
		{"POST", "/networks/n1", "DELETE, GET, HEAD, OPTIONS, PUT"},
		{"PATCH", "/networks/create", "DELETE, GET, HEAD, OPTIONS, POST, PUT"},
		{"POST", "/docs", "GET, HEAD"},
		{"HEAD", "/only-patch", "PATCH"},
		{"DELETE", "/dav/x", "PROPFIND"},
		{"GET", "/dav/x", "PROPFIND"},
	} {
		resp := kktest.Do(r, tc.method, tc.target)
		if resp.StatusCode() != 405 || string(resp.Header.Peek("Allow")) != tc.allow {
			t.Errorf("%s %s = %d Allow %q; want 405 Allow %q", tc.method, tc.target, resp.StatusCode(), resp.Header.Peek("Allow"), tc.allow)
		}
		if tc.method != "HEAD" {
			want := `{"type":"about:blank","title":"Method Not Allowed","status":405,"detail":"method ` + tc.method + ` not allowed for ` + tc.target + `; allowed: ` + tc.allow + `"}`
			if string(resp.Body()) != want {
				t.Errorf("%s %s body = %s; want %s", tc.method, tc.target, resp.Body(), want)
			}
		}
	}
}
