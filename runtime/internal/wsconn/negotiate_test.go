package wsconn

import "testing"

// TestAcceptDeflate: RFC 7692 section 7's parameters, each at most once
// with a valid value, are accepted; anything else declines the offer, and
// the next offer is considered.
func TestAcceptDeflate(t *testing.T) {
	for _, tc := range []struct {
		values []string
		want   bool
	}{
		{nil, false},
		{[]string{"permessage-deflate"}, true},
		{[]string{"Permessage-Deflate"}, true},
		{[]string{"permessage-deflate; client_max_window_bits"}, true},
		{[]string{"permessage-deflate; client_max_window_bits=8"}, true},
		{[]string{`permessage-deflate; client_max_window_bits="15"`}, true},
		{[]string{"permessage-deflate; server_max_window_bits=15; server_no_context_takeover; client_no_context_takeover"}, true},
		{[]string{"permessage-deflate; server_max_window_bits=14"}, false},
		{[]string{"permessage-deflate; server_max_window_bits=08"}, false},
		{[]string{"permessage-deflate; server_max_window_bits"}, false},
		{[]string{"permessage-deflate; client_max_window_bits=16"}, false},
		{[]string{"permessage-deflate; client_max_window_bits=abc"}, false},
		{[]string{"permessage-deflate; client_no_context_takeover=yes"}, false},
		{[]string{"permessage-deflate; client_no_context_takeover; client_no_context_takeover"}, false},
		{[]string{"permessage-deflate; mystery"}, false},
		{[]string{"permessage-deflate; server_max_window_bits=9, permessage-deflate"}, true},
		{[]string{"x-webkit-deflate-frame", "permessage-deflate; client_max_window_bits"}, true},
		{[]string{"x-webkit-deflate-frame"}, false},
	} {
		if got := AcceptDeflate(tc.values); got != tc.want {
			t.Errorf("AcceptDeflate(%q) = %v; want %v", tc.values, got, tc.want)
		}
	}
}
