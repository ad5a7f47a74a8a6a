package kk

import (
	"errors"
	"testing"
)

// TestRoutePath holds routePath to RFC 3986 §5.2.4 on the path as sent:
// dot segments go before decoding, and an escape never becomes a
// separator or a dot segment.
func TestRoutePath(t *testing.T) {
	for _, tc := range []struct {
		raw, want string // want "" means a *PathError
	}{
		{"/", "/"},
		{"", "/"},
		{"/a/b", "/a/b"},
		{"/a/b/", "/a/b/"},
		{"/a//b", "/a/b"},
		{"//a", "/a"},
		{"/a//", "/a/"},
		{"/a/./b", "/a/b"},
		{"/a/.", "/a/"},
		{"/a/..", "/"},
		{"/a/b/..", "/a/"},
		{"/a/b/../c", "/a/c"},
		{"/..", "/"},
		{"/../../a", "/a"},
		{"/a/../../b/", "/b/"},
		{"/.well-known/x", "/.well-known/x"},
		{"/a/...", "/a/..."},
		{"/a/..b/.c", "/a/..b/.c"},
		{"/caf%C3%A9", "/café"},
		{"/a%20b/c", "/a b/c"},
		{"/a%5cb", `/a\b`},
		{"/a%252e%252e", "/a%2e%2e"},
		{"/a/%252f", "/a/%2f"},
		{"/a%zz", "/a%zz"}, // malformed: as sent (the edge answers it)
		{"/a%2", "/a%2"},
		{"/a%00b", "/a\x00b"},
		{"/a%2fb", ""},
		{"/a%2Fb", ""},
		{"/a/..%2f..%2fb", ""},
		{"/%2e%2e/a", ""},
		{"/a/%2E%2e", ""},
		{"/a/.%2e/b", ""},
		{"/a/%2e./b", ""},
		{"/a/%2e/b", ""},
		{"/a/%2e%2e%2f", ""},
	} {
		var buf []byte
		got, err := routePath([]byte(tc.raw), &buf)
		var pe *PathError
		switch {
		case tc.want == "" && !errors.As(err, &pe):
			t.Errorf("routePath(%q) = %q, %v; want a *PathError", tc.raw, got, err)
		case tc.want == "":
			if pe.StatusCode() != 400 {
				t.Errorf("routePath(%q): status %d", tc.raw, pe.StatusCode())
			}
		case err != nil || string(got) != tc.want:
			t.Errorf("routePath(%q) = %q, %v; want %q", tc.raw, got, err, tc.want)
		}
	}
}

// TestRoutePathAllocs: a plain path is routed as sent, and a path that
// needs building reuses the Ctx's buffer.
func TestRoutePathAllocs(t *testing.T) {
	buf := make([]byte, 0, 64)
	for _, raw := range []string{"/api/v1/users/42", "/a//b/./c/../d%20e"} {
		p := []byte(raw)
		if n := testing.AllocsPerRun(100, func() { _, _ = routePath(p, &buf) }); n != 0 {
			t.Errorf("routePath(%q): %v allocations", raw, n)
		}
	}
}
