package pattern

import (
	"go/token"
	"strings"
	"testing"
)

// FuzzParse checks Parse on arbitrary patterns: no panic; every error has a
// message and an offset inside the pattern; and a pattern accepted without
// errors is well formed: it starts with "/", its segments spell it back at
// their offsets, parameter names are distinct identifiers that are not
// keywords, and only the last segment is a catch-all.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, raw string) {
		p, errs := Parse(raw)
		if p.Raw != raw {
			t.Fatalf("Raw = %q, want %q", p.Raw, raw)
		}
		for _, e := range errs {
			if e.Msg == "" || e.Offset < 0 || e.Offset > len(raw) {
				t.Errorf("error %+v has no message or an offset outside %q", e, raw)
			}
		}
		if len(errs) > 0 {
			return
		}
		if !strings.HasPrefix(raw, "/") || strings.ContainsAny(raw, "?#") {
			t.Fatalf("%q accepted", raw)
		}
		var b strings.Builder
		seen := map[string]bool{}
		for i, s := range p.Segments {
			src := s.Text
			switch s.Kind {
			case Param:
				src = ":" + s.Text
			case CatchAll:
				src = "*" + s.Text
				if i != len(p.Segments)-1 {
					t.Errorf("%q: catch-all %q is not last", raw, s.Text)
				}
			}
			if s.Kind != Static {
				if !token.IsIdentifier(s.Text) || token.IsKeyword(s.Text) || s.Text == "_" || seen[s.Text] {
					t.Errorf("%q: parameter name %q accepted", raw, s.Text)
				}
				seen[s.Text] = true
			} else if s.Text == "" && i != len(p.Segments)-1 {
				t.Errorf("%q: empty segment accepted", raw)
			}
			if !strings.HasPrefix(raw[s.Offset:], src) {
				t.Errorf("%q: segment %q at offset %d reads %q", raw, src, s.Offset, raw[s.Offset:])
			}
			b.WriteString("/" + src)
		}
		if b.String() != raw {
			t.Errorf("segments spell %q, want %q", b.String(), raw)
		}
		if got := len(p.Params()); got != len(seen) {
			t.Errorf("%q: Params() has %d names, want %d", raw, got, len(seen))
		}
	})
}
