package httpx

import "testing"

func TestRawPath(t *testing.T) {
	for in, want := range map[string]string{
		"/a/b?x=%zz":            "/a/b",
		"/a%zz#frag":            "/a%zz",
		"http://h/a%4?q":        "/a%4",
		"http://h":              "",
		"/":                     "/",
		"https://h:8/x/y%2Fz#f": "/x/y%2Fz",
	} {
		if got := string(RawPath([]byte(in))); got != want {
			t.Errorf("RawPath(%q) = %q, want %q", in, got, want)
		}
	}
}
