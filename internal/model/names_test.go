package model

import (
	"testing"

	kk "github.com/kommandkit/kk/runtime"
)

// The runtime cannot import model (it is the user's dependency, model is
// kkgen's), so these tests hold the two to the same names.

func TestMaxParamsMatchesRuntime(t *testing.T) {
	if MaxParams != kk.MaxParams {
		t.Fatalf("model.MaxParams = %d, kk.MaxParams = %d", MaxParams, kk.MaxParams)
	}
}

func TestSourcesMatchRuntime(t *testing.T) {
	ins := map[string]kk.In{"InPath": kk.InPath, "InQuery": kk.InQuery, "InHeader": kk.InHeader, "InCookie": kk.InCookie, "InForm": kk.InForm}
	for _, s := range TagSources {
		in, ok := ins[s.In()]
		if !ok {
			t.Errorf("source %v: runtime has no constant %q", s, s.In())
			continue
		}
		if in.String() != s.String() {
			t.Errorf("source %s: runtime's %s names it %q", s, s.In(), in.String())
		}
	}
}

func TestReserved(t *testing.T) {
	for name, want := range map[string]bool{"kk": true, "errors": true, "NewRouter": true, "kkMatch": true, "kkX": true,
		"kk_x": false, "kkx": false, "KK": false, "Errors": false, "router": false} {
		if got := Reserved(name); got != want {
			t.Errorf("Reserved(%q) = %v, want %v", name, got, want)
		}
	}
}
