package receivernames

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

// TestReceiverNames serves every route through the renamed parameters and
// locals: each answer comes from the value given for its type.
func TestReceiverNames(t *testing.T) {
	t.Parallel()
	r := NewRouter(&APIKeys{Name: "keys"}, &C{Name: "c"}, &HTTPClient{Name: "client"}, Store{Name: "store"}, &Type{Name: "type"}, &URLs{Name: "urls"}, &server{prefix: "echo:"})
	for path, want := range map[string]string{
		"/type":    "type",
		"/store":   "store beside the package's own store",
		"/echo/hi": "echo:hi",
		"/c/7":     "c7",
		"/client":  "client",
		"/cget":    "func",
	} {
		resp := kktest.Do(r, "GET", path)
		if resp.StatusCode() != 200 || string(resp.Body()) != want {
			t.Errorf("GET %s = %d %q, want 200 %q", path, resp.StatusCode(), resp.Body(), want)
		}
	}
}
