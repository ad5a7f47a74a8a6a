package kk

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// TestRefuseEarly: a request whose Content-Length is over its route's
// limit is marked to be refused before its body is read; one within
// every limit costs no routing and no allocation.
func TestRefuseEarly(t *testing.T) {
	r := New(Table{
		Routes: []Route{
			{Method: "POST", Pattern: "/small", BodyLimit: 64 << 10},
			{Method: "POST", Pattern: "/big", BodyLimit: 2 << 30},
		},
		Methods: []string{"POST"},
		Match: func(method string, p []byte, ps *Params) int {
			switch string(p) {
			case "/small":
				return 0
			case "/big":
				return 1
			}
			return -1
		},
	})
	s := &fasthttp.Server{MaxRequestBodySize: 4 << 20}
	early := r.refuseEarly(s)
	for _, tc := range []struct {
		target string
		length int
		proto  string
		marked bool
	}{
		{"/small", 10, "HTTP/1.1", false},
		{"/small", 64 << 10, "HTTP/1.1", false},
		{"/small", 64<<10 + 1, "HTTP/1.1", true},
		{"/small", 10 << 30, "HTTP/1.1", true},
		{"/big", 10 << 30, "HTTP/1.1", true},
		{"/big", 1 << 30, "HTTP/1.1", false},
		{"/none", 4<<20 + 1, "HTTP/1.1", true}, // the server's limit
		{"/none", 4 << 20, "HTTP/1.1", false},
		{"/x/../small", 1 << 20, "HTTP/1.1", true}, // routed as kk routes it
		{"/small", 10 << 30, "HTTP/1.0", false},    // no Expect on 1.0: the body stage answers
	} {
		var h fasthttp.RequestHeader
		h.SetMethod("POST")
		h.SetRequestURI(tc.target)
		h.SetProtocol(tc.proto)
		h.SetContentLength(tc.length)
		early(&h)
		if got := string(h.Peek(fasthttp.HeaderExpect)) == "100-continue"; got != tc.marked {
			t.Errorf("%s %s with Content-Length %d: marked %v, want %v", tc.proto, tc.target, tc.length, got, tc.marked)
		}
	}
	var h fasthttp.RequestHeader
	h.SetMethod("POST")
	h.SetRequestURI("/small")
	h.SetContentLength(1000)
	if n := testing.AllocsPerRun(100, func() { early(&h) }); n != 0 {
		t.Errorf("a body within every limit: %v allocations", n)
	}
}
