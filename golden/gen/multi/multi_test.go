package multi

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestMulti(t *testing.T) {
	r := NewRouter()
	if n := len(r.Routes()); n != 9 {
		t.Errorf("%d routes; want 9", n)
	}
	for _, tc := range []struct {
		method, target string
		status         int
		body           string
	}{
		{"GET", "/items/1", 200, `GET /items/:id item 1`},
		{"PUT", "/items/3", 200, `PUT /items/:id item 3`},
		{"POST", "/v1/4/item", 200, `POST /v1/:id/item item 4`},
		{"GET", "/by-path/5", 200, `GET /by-path/*id item 5`},
		{"GET", "/shops/s9/items/2", 200, `shop s9 item 2`},
		{"GET", "/items/6/shop/s8", 200, `shop s8 item 6`},
		{"GET", "/shops/s9/items/x", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"id\": \"x\" is not a valid uint"}`},
		{"GET", "/by-path/x", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"id\": \"x\" is not a valid int"}`},
		{"GET", "/health", 204, ""},
		{"GET", "/healthz", 204, ""},
		{"HEAD", "/ping", 204, ""},
		{"GET", "/ping", 405, `{"type":"about:blank","title":"Method Not Allowed","status":405,"detail":"method GET not allowed for /ping; allowed: HEAD"}`},
		{"DELETE", "/items/1", 405, `{"type":"about:blank","title":"Method Not Allowed","status":405,"detail":"method DELETE not allowed for /items/1; allowed: GET, HEAD, PUT"}`},
	} {
		resp := kktest.Do(r, tc.method, tc.target)
		if resp.StatusCode() != tc.status || string(resp.Body()) != tc.body {
			t.Errorf("%s %s = %d %s; want %d %s", tc.method, tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
}
