// Package pattern parses route patterns such as "/users/:id/files/*path".
//
// A pattern starts with "/". A segment (the text between slashes) that
// starts with ":" is a parameter matching one non-empty segment; one that
// starts with "*" is a catch-all matching the rest of the path (without its
// leading slash, possibly empty) and must be last. Any other segment is
// literal. Parameter names must be Go identifiers, because they bind to the
// handler's parameters by name.
package pattern

import (
	"fmt"
	"go/token"
	"strings"
)

// Kind says how a segment matches.
type Kind int

const (
	Static   Kind = iota // literal text
	Param                // ":name", one non-empty segment
	CatchAll             // "*name", the rest of the path
)

// Segment is one slash-separated part of a pattern.
type Segment struct {
	Kind   Kind
	Text   string // the literal text, or the parameter name
	Offset int    // byte offset of the segment's text in the pattern it was parsed from
	Prefix bool   // it came from the prefix of a Join
}

// Error is a problem at a byte offset of the pattern, or of the prefix
// of a Join when Prefix is set.
type Error struct {
	Offset int
	Msg    string
	Prefix bool
}

// Pattern is a parsed pattern.
type Pattern struct {
	Raw      string
	Segments []Segment
}

// Params lists the parameter and catch-all names in order.
func (p Pattern) Params() []string {
	var names []string
	for _, s := range p.Segments {
		if s.Kind != Static {
			names = append(names, s.Text)
		}
	}
	return names
}

// Join is prefix followed by p: a file's //kk:group prefix and one of its
// routes, each parsed once on its own. A trailing "/" of the prefix is
// dropped, so "/api/" and "/api" join "/users" alike as "/api/users".
// Segments keep the offsets of the pattern they came from (Prefix marks
// the prefix's). It reports what only the joining causes, each on the
// part that causes it: a catch-all in the prefix, which leaves nothing
// for the route, and a parameter name used in both, at the route's.
func Join(prefix, p Pattern) (Pattern, []Error) {
	pre := strings.TrimSuffix(prefix.Raw, "/")
	if pre == "" {
		return p, nil
	}
	segs := prefix.Segments
	if strings.HasSuffix(prefix.Raw, "/") {
		segs = segs[:len(segs)-1] // the empty segment after the slash
	}
	joined := Pattern{Raw: pre + p.Raw}
	var errs []Error
	seen := map[string]bool{}
	for _, s := range segs {
		s.Prefix = true
		if s.Kind == CatchAll {
			errs = append(errs, Error{s.Offset, fmt.Sprintf("catch-all %q must be the last segment of pattern %q", "*"+s.Text, joined.Raw), true})
		}
		if s.Kind != Static {
			seen[s.Text] = true
		}
		joined.Segments = append(joined.Segments, s)
	}
	for _, s := range p.Segments {
		if s.Kind != Static && seen[s.Text] {
			errs = append(errs, Error{s.Offset, fmt.Sprintf("parameter name %q is used twice in pattern %q", s.Text, joined.Raw), false})
		}
		joined.Segments = append(joined.Segments, s)
	}
	return joined, errs
}

// Parse parses raw, reporting every problem found.
func Parse(raw string) (Pattern, []Error) {
	p := Pattern{Raw: raw}
	var errs []Error
	if !strings.HasPrefix(raw, "/") {
		return p, []Error{{Offset: 0, Msg: fmt.Sprintf("pattern %q must start with \"/\"", raw)}}
	}
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		errs = append(errs, Error{Offset: i, Msg: fmt.Sprintf("pattern %q must not contain %q: patterns match the path only", raw, raw[i:i+1])})
	}
	seen := map[string]bool{}
	off := 1
	parts := strings.Split(raw[1:], "/")
	for i, text := range parts {
		last := i == len(parts)-1
		seg := Segment{Kind: Static, Text: text, Offset: off}
		switch {
		case text == "" && !last:
			errs = append(errs, Error{Offset: off, Msg: fmt.Sprintf("pattern %q has an empty segment (\"//\"), which no request path can match", raw)})
		case strings.HasPrefix(text, ":") || strings.HasPrefix(text, "*"):
			seg.Kind, seg.Text = Param, text[1:]
			what := "parameter"
			if text[0] == '*' {
				seg.Kind, what = CatchAll, "catch-all"
				if !last {
					errs = append(errs, Error{Offset: off, Msg: fmt.Sprintf("catch-all %q must be the last segment of pattern %q", text, raw)})
				}
			}
			switch {
			case seg.Text == "":
				errs = append(errs, Error{Offset: off, Msg: fmt.Sprintf("%s in pattern %q has an empty name", what, raw)})
			case seg.Text == "_":
				errs = append(errs, Error{Offset: off, Msg: fmt.Sprintf("%s in pattern %q is named _, the blank identifier, which no handler parameter can bind", what, raw)})
			case token.IsKeyword(seg.Text):
				errs = append(errs, Error{Offset: off, Msg: fmt.Sprintf("%s name %q in pattern %q is a Go keyword, so no handler parameter can bind it", what, seg.Text, raw)})
			case !token.IsIdentifier(seg.Text):
				errs = append(errs, Error{Offset: off, Msg: fmt.Sprintf("%s name %q in pattern %q is not a Go identifier", what, seg.Text, raw)})
			case seen[seg.Text]:
				errs = append(errs, Error{Offset: off, Msg: fmt.Sprintf("parameter name %q is used twice in pattern %q", seg.Text, raw)})
			}
			seen[seg.Text] = true
		}
		p.Segments = append(p.Segments, seg)
		off += len(text) + 1
	}
	return p, errs
}
