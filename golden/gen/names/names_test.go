package names

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestNames(t *testing.T) {
	r := NewRouter()
	for target, want := range map[string]string{
		"/locals/x/3/true":          "x 3 true",
		"/predeclared/4/s/ab/1/255": "4 s [97 98] true 255",
		"/packages/127.0.0.1/f/k/e": "127.0.0.1 f k e",
		"/pkglevel/7/h":             "7 h package idParam",
		"/self/me":                  "self me",
		"/lower/case":               "lower case",
		"/unicode/42":               "größe 42",
		"/_under":                   "under",
	} {
		resp := kktest.Do(r, "GET", target)
		if resp.StatusCode() != 200 || string(resp.Body()) != want {
			t.Errorf("GET %s = %d %s; want 200 %s", target, resp.StatusCode(), resp.Body(), want)
		}
	}
	resp := kktest.Do(r, "GET", "/predeclared/4/s/ab/1/256")
	if want := `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"nil\": \"256\" is out of range for uint8"}`; string(resp.Body()) != want {
		t.Errorf("GET /predeclared/4/s/ab/1/256 = %d %s; want 400 %s", resp.StatusCode(), resp.Body(), want)
	}
	if id != "package id" {
		t.Errorf("package-level id = %q", id)
	}
}
