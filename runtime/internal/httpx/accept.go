// Package httpx holds kk's readings of HTTP request fields that need no
// request context: content-coding negotiation from Accept-Encoding
// q-values (RFC 9110 §12.5.3), the conditional and range rules a static
// file answer follows (§13, §14), the raw path of a request target, and
// the list and token helpers they share. Nothing here allocates on the
// common path.
package httpx

// Coding is a content coding kk can send: identity, or one of the three
// compressed codings, in the order that breaks ties between equal q-values.
type Coding uint8

const (
	Identity Coding = iota
	Brotli
	Zstd
	Gzip
	NumCodings
)

// codingNames are the Content-Encoding values of the codings.
var codingNames = [NumCodings]string{"", "br", "zstd", "gzip"}

// codingSuffixes are the file-name suffixes of precompressed siblings.
var codingSuffixes = [NumCodings]string{"", ".br", ".zst", ".gz"}

// Name is the coding's Content-Encoding value, the suffix kk appends to a
// strong ETag for a coded representation ("" for identity).
func (c Coding) Name() string { return codingNames[c] }

// Suffix is the file-name suffix of the coding's precompressed sibling
// (".br", ".zst", ".gz"; "" for identity).
func (c Coding) Suffix() string { return codingSuffixes[c] }

// CodingSet is a bit set of codings, bit c for coding c.
type CodingSet uint8

// Has reports whether c is in s.
func (s CodingSet) Has(c Coding) bool { return s&(1<<c) != 0 }

// AllCodings is every compressed coding.
const AllCodings CodingSet = 1<<Brotli | 1<<Zstd | 1<<Gzip

// Negotiate picks the coding to send for the request's Accept-Encoding
// header among offered: the one the client gives the highest q-value, ties
// going br, zstd, gzip. A coding the client does not name takes the q-value
// of "*" when it sends one, else is not acceptable; "q=0" refuses. When no
// offered coding is acceptable the answer is identity, which kk always
// treats as acceptable (sending nothing is never better). It does not
// allocate.
func Negotiate(header []byte, offered CodingSet) Coding {
	if len(header) == 0 || offered == 0 {
		return Identity
	}
	var q [NumCodings]int // thousandths; -1: not named
	for i := range q {
		q[i] = -1
	}
	star := -1
	for len(header) > 0 {
		var item []byte
		item, header = CutByte(header, ',')
		name, params := CutByte(item, ';')
		name = TrimOWS(name)
		w := qValue(params)
		switch {
		case EqualFold(name, "br"):
			q[Brotli] = w
		case EqualFold(name, "zstd"):
			q[Zstd] = w
		case EqualFold(name, "gzip"), EqualFold(name, "x-gzip"):
			q[Gzip] = max(q[Gzip], w)
		case len(name) == 1 && name[0] == '*':
			star = w
		}
	}
	best, bestQ := Identity, 0
	for c := Brotli; c < NumCodings; c++ {
		if !offered.Has(c) {
			continue
		}
		w := q[c]
		if w < 0 {
			w = star
		}
		if w > bestQ { // strictly greater: earlier codings win ties
			best, bestQ = c, w
		}
	}
	return best
}

// qValue is the q parameter among params (";q=0.5;x=y") in thousandths:
// 1000 when there is none, 0 for a malformed one (a value that cannot be
// read is not a preference kk should act on).
func qValue(params []byte) int {
	for len(params) > 0 {
		var p []byte
		p, params = CutByte(params, ';')
		p = TrimOWS(p)
		if len(p) < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=' {
			continue
		}
		return parseQ(TrimOWS(p[2:]))
	}
	return 1000
}

// parseQ reads a qvalue (RFC 9110 12.4.2: "0" ["." 0*3DIGIT] or "1" ["."
// 0*3("0")]) as thousandths, or 0 when it is not one.
func parseQ(v []byte) int {
	if len(v) == 0 || (v[0] != '0' && v[0] != '1') {
		return 0
	}
	n := int(v[0]-'0') * 1000
	if len(v) == 1 {
		return n
	}
	if v[1] != '.' || len(v) > 5 {
		return 0
	}
	scale := 100
	for _, d := range v[2:] {
		if d < '0' || d > '9' {
			return 0
		}
		n += int(d-'0') * scale
		scale /= 10
	}
	if n > 1000 {
		return 0
	}
	return n
}

// CutByte splits b around the first sep.
func CutByte(b []byte, sep byte) (before, after []byte) {
	for i, c := range b {
		if c == sep {
			return b[:i], b[i+1:]
		}
	}
	return b, nil
}

// TrimOWS trims the spaces and tabs HTTP allows around list items.
func TrimOWS(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// EqualFold reports whether b is s, ignoring ASCII case; s is lower case.
func EqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}
