package basic

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestBasic(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		method, target string
		status         int
		body           string
	}{
		{"GET", "/users/42", 200, `{"id":42}`},
		{"GET", "/users/0", 404, `{"type":"about:blank","title":"Not Found","status":404,"detail":"not found"}`},
		{"GET", "/users/x", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"id\": \"x\" is not a valid int64"}`},
		{"GET", "/users/new", 200, "form"},
		{"GET", "/users/new/profile", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"id\": \"new\" is not a valid int8"}`},
		{"GET", "/users/12/profile", 200, "profile"},
		{"GET", "/users/128/profile", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"id\": \"128\" is out of range for int8"}`},
		{"POST", "/users/bob", 409, `{"type":"about:blank","title":"Conflict","status":409,"detail":"bob already exists"}`},
		{"GET", "/up/abc", 200, "ABC"},
		{"GET", "/files/a/b.txt", 200, "a/b.txt"},
		{"GET", "/files/caf%C3%A9", 200, "café"},
		{"DELETE", "/flags/true/0.5", 204, ""},
		{"PUT", "/users/1", 405, ""},
		{"GET", "/nope", 404, ""},
		{"HEAD", "/users/new", 200, ""},
	} {
		resp := kktest.Do(r, tc.method, tc.target)
		if resp.StatusCode() != tc.status || (tc.body != "" && string(resp.Body()) != tc.body) {
			t.Errorf("%s %s = %d %s; want %d %s", tc.method, tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
		if tc.status == 405 {
			if allow := string(resp.Header.Peek("Allow")); allow != "GET, HEAD, POST" {
				t.Errorf("%s %s: Allow = %q; want %q", tc.method, tc.target, allow, "GET, HEAD, POST")
			}
		}
	}
}
