package tsclient

import "testing"

func TestMember(t *testing.T) {
	for in, want := range map[string]string{"id": "id", "foo-bar": `"foo-bar"`, "$x": "$x", "1a": `"1a"`, "": `""`, "é": "é"} {
		if got := member(in); got != want {
			t.Errorf("member(%q) = %q, want %q", in, got, want)
		}
	}
}
