package wsconn

import "unicode/utf8"

// utf8Stream validates UTF-8 that arrives in pieces (fragments, reads,
// inflated output). It fails at the first byte after which the text can
// no longer become valid, not at the end of the message: a piece may end
// inside a code point, whose valid start it keeps for the next piece.
type utf8Stream struct {
	pend [utf8.UTFMax]byte // the start of a code point cut by a piece's end
	n    int
}

// write reports whether p keeps the text valid so far.
func (v *utf8Stream) write(p []byte) bool {
	for v.n > 0 && len(p) > 0 { // complete the code point cut last time
		v.pend[v.n] = p[0]
		v.n++
		p = p[1:]
		if !utf8.FullRune(v.pend[:v.n]) {
			continue // a valid start, still short: FullRune checks the prefix
		}
		if r, size := utf8.DecodeRune(v.pend[:v.n]); r == utf8.RuneError && size <= 1 {
			return false
		}
		v.n = 0
	}
	// Keep a code point cut by the end of p for the next piece.
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				v.n = copy(v.pend[:], p[i:])
				p = p[:i]
			}
			break
		}
	}
	return utf8.Valid(p)
}

// end reports whether the text ends on a whole code point.
func (v *utf8Stream) end() bool { return v.n == 0 }
