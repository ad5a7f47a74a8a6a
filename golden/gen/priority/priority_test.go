package priority

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestPriority(t *testing.T) {
	r := NewRouter()
	for target, want := range map[string]string{
		"/users/new":          "new",
		"/users/42":           "user 42",
		"/users/newer":        "user newer", // static "new" is a prefix, not a match
		"/users/ne":           "user ne",
		"/users/newest":       "newest",
		"/users/newestx":      "user newestx",
		"/users/42/profile":   "profile 42",
		"/users/new/profile":  "profile new", // falls back from the static branch
		"/users/new/settings": "new settings",
		"/users/7/settings":   "users rest 7/settings",
		"/users/new/x/y":      "users rest new/x/y",
		"/users/42/profile/x": "users rest 42/profile/x",
		"/users/":             "users rest ",
		"/files/readme":       "readme",
		"/files/readme.md":    "name readme.md",
		"/files/a":            "name a",
		"/files/a/b.txt":      "path a/b.txt",
		"/files/readme/x":     "path readme/x",
		"/files/":             "path ",
		"/a/b/c":              "a b y c", // static b beats :x, and its :y matches
		"/a/z/c":              "a x c z",
		"/a/b/d":              "a b y d",
		"/a/b/c/d":            "any a/b/c/d",
		"/a/b":                "any a/b",
		"/":                   "root",
		"/users":              "any users",
		"/other/path":         "any other/path",
	} {
		resp := kktest.Do(r, "GET", target)
		if resp.StatusCode() != 200 || string(resp.Body()) != want {
			t.Errorf("GET %s = %d %s; want 200 %s", target, resp.StatusCode(), resp.Body(), want)
		}
	}
}
