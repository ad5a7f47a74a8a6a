package errnamed

import (
	"log/slog"
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestSentinelNamedErr(t *testing.T) {
	r := NewRouter()
	r.SetLogger(slog.New(slog.DiscardHandler))
	for path, want := range map[string]int{"/a/missing": 404, "/a/other": 500} {
		if got := kktest.Do(r, "GET", path).StatusCode(); got != want {
			t.Errorf("GET %s = %d, want %d", path, got, want)
		}
	}
}
