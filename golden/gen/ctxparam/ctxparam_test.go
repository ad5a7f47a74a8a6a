package ctxparam

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestCtxParam(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		target, body string
	}{
		{"/kk/7?q=search", "kk 7 q=search param=7"},
		{"/context/8", "context 8 GET"},
		{"/none/9", "none 9"},
		{"/blank", "blank"},
		{"/ctxonly", "ctxonly"},
	} {
		resp := kktest.Do(r, "GET", tc.target)
		if resp.StatusCode() != 200 || string(resp.Body()) != tc.body {
			t.Errorf("GET %s = %d %s; want 200 %s", tc.target, resp.StatusCode(), resp.Body(), tc.body)
		}
	}
	if got := string(kktest.Do(r, "GET", "/kk/1").Header.Peek("X-Route")); got != "/kk/:id" {
		t.Errorf("X-Route = %q; want /kk/:id", got)
	}
}
