package check

import (
	"go/token"

	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/pattern"
)

// paramSet is the one record of a route's pattern parameters and which of
// them the handler binds, by a func parameter or an input struct's path
// field. Every pattern parameter must end up bound.
type paramSet struct {
	segs  []pattern.Segment // the parameter segments, in pattern order
	bound []bool
}

func newParamSet(p pattern.Pattern) *paramSet {
	s := &paramSet{}
	for _, seg := range p.Segments {
		if seg.Kind != pattern.Static {
			s.segs = append(s.segs, seg)
		}
	}
	s.bound = make([]bool, len(s.segs))
	return s
}

// bind marks the parameter called name as bound and returns its position
// among the pattern's parameters, or false when the pattern has none of
// that name.
func (s *paramSet) bind(name string) (int, bool) {
	for i, seg := range s.segs {
		if seg.Text == name {
			s.bound[i] = true
			return i, true
		}
	}
	return 0, false
}

// unbound lists the segments of the parameters nothing binds.
func (s *paramSet) unbound() []pattern.Segment {
	var out []pattern.Segment
	for i, seg := range s.segs {
		if !s.bound[i] {
			out = append(out, seg)
		}
	}
	return out
}

// at is the position of byte off of the route's pattern token raw, or of
// the group's prefix when inPrefix.
func (g group) at(raw directive.Token, off int, inPrefix bool) token.Position {
	if inPrefix {
		return at(g.pos, off)
	}
	return at(raw.Pos, off)
}

// at is p moved off bytes to the right on its line.
func at(p token.Position, off int) token.Position {
	p.Column += off
	p.Offset += off
	return p
}
