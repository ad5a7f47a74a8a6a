package httpmethod

import "testing"

func TestRegistered(t *testing.T) {
	for _, m := range []string{"GET", "QUERY", "PROPFIND", "VERSION-CONTROL", "PRI"} {
		if !Registered(m) {
			t.Errorf("Registered(%q) = false", m)
		}
	}
	for _, m := range []string{"get", "GTE", "BREW", "M-SEARCH", ""} {
		if Registered(m) {
			t.Errorf("Registered(%q) = true", m)
		}
	}
	if n := len(Names()); n != 40 {
		t.Errorf("%d names; the registry lists 40", n)
	}
}
