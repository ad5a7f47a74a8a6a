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

// FuzzJoin holds Join, which joins a group prefix and a route parsed on
// their own, to Parse of the joined text: the same raw pattern, the same
// segments, and errors exactly when Parse finds some; each error on the
// part (prefix or route) that it points into.
func FuzzJoin(f *testing.F) {
	f.Fuzz(func(t *testing.T, prefix, route string) {
		pp, perrs := Parse(prefix)
		rp, rerrs := Parse(route)
		if len(perrs) > 0 || len(rerrs) > 0 {
			t.Skip()
		}
		j, errs := Join(pp, rp)
		raw := strings.TrimSuffix(prefix, "/") + route
		whole, werrs := Parse(raw)
		if j.Raw != raw {
			t.Fatalf("Join(%q, %q).Raw = %q, want %q", prefix, route, j.Raw, raw)
		}
		if (len(errs) == 0) != (len(werrs) == 0) {
			t.Fatalf("Join(%q, %q) errors %v, but Parse(%q) errors %v", prefix, route, errs, raw, werrs)
		}
		for _, e := range errs {
			in := route
			if e.Prefix {
				in = prefix
			}
			if e.Msg == "" || e.Offset < 0 || e.Offset > len(in) {
				t.Errorf("Join(%q, %q): error %+v points outside its part", prefix, route, e)
			}
		}
		if len(j.Segments) != len(whole.Segments) {
			t.Fatalf("Join(%q, %q) has %d segments, Parse(%q) %d", prefix, route, len(j.Segments), raw, len(whole.Segments))
		}
		for i, s := range j.Segments {
			w := whole.Segments[i]
			if s.Kind != w.Kind || s.Text != w.Text {
				t.Errorf("Join(%q, %q) segment %d = %v %q, Parse says %v %q", prefix, route, i, s.Kind, s.Text, w.Kind, w.Text)
			}
			in := route
			if s.Prefix {
				in = prefix
			}
			if s.Offset < 0 || s.Offset > len(in) || !strings.HasPrefix(in[s.Offset:], segText(s)) {
				t.Errorf("Join(%q, %q) segment %d %q is not at offset %d of %q", prefix, route, i, segText(s), s.Offset, in)
			}
		}
	})
}

// segText is a segment as written in a pattern.
func segText(s Segment) string {
	switch s.Kind {
	case Param:
		return ":" + s.Text
	case CatchAll:
		return "*" + s.Text
	}
	return s.Text
}
