package decoded

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestDecoded(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		target string
		status int
		body   string
	}{
		{"/users/caf%C3%A9", 200, "user café"},
		{"/users/café", 200, "user café"},
		{"/users/caf%c3%a9/len", 200, "4"},
		{"/users/a%20b", 200, "user a b"},
		{"/users/a+b", 200, "user a+b"},
		{"/users/%7Euser", 200, "user ~user"},
		{"/users/100%25", 200, "user 100%"},
		{"/%75sers/x", 200, "user x"},
		{"/caf%C3%A9/menu", 200, "menu"},
		{"/café/menu", 200, "menu"},
		{"/cafe/menu", 404, ""},
		// An escaped slash is neither a separator nor data: 400.
		{"/files/a%2Fb", 400, ""},
		{"/users/a%2Fb", 400, ""},
		{"/users/a%2Flen", 400, ""},
		{"/files/a%252Fb", 200, "a%2Fb"},
		// Dot segments resolve as sent; encoded ones are refused.
		{"/files/x/../y", 200, "y"},
		{"/files/%2e%2e/y", 400, ""},
		{"/files/%E2%9C%93.txt", 200, "✓.txt"},
		{"/users/x?name=y", 200, "user x"},
	} {
		resp := kktest.Do(r, "GET", tc.target)
		if resp.StatusCode() != tc.status || (tc.status == 200 && string(resp.Body()) != tc.body) {
			t.Errorf("GET %s = %d %s; want %d %s", tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
}
