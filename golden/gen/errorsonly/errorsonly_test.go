package errorsonly

import (
	"fmt"
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestErrorsOnly(t *testing.T) {
	r := NewRouter()
	if n := len(r.Routes()); n != 0 {
		t.Errorf("%d routes; want 0", n)
	}
	for _, m := range []string{"GET", "HEAD", "POST"} {
		resp := kktest.Do(r, m, "/anything")
		if resp.StatusCode() != 404 || len(resp.Header.Peek("Allow")) != 0 {
			t.Errorf("%s /anything = %d Allow %q; want 404", m, resp.StatusCode(), resp.Header.Peek("Allow"))
		}
		if m != "HEAD" && string(resp.Body()) != "nothing here" {
			t.Errorf("%s /anything body = %q; want the //kk:errorhandler's", m, resp.Body())
		}
	}
	for err, want := range map[error]int{
		ErrMissing:                         404,
		fmt.Errorf("x: %w", ErrMissing):    404,
		QuotaError{}:                       429,
		&QuotaError{}:                      429,
		fmt.Errorf("x: %w", &QuotaError{}): 429,
		fmt.Errorf("unmapped"):             500,
	} {
		if got := r.StatusOf(err); got != want {
			t.Errorf("StatusOf(%v) = %d; want %d", err, got, want)
		}
	}
}
