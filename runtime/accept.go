package kk

// coding is a content coding kk can send: identity, or one of the three
// compressed codings, in the order that breaks ties between equal q-values.
type coding uint8

const (
	codingIdentity coding = iota
	codingBrotli
	codingZstd
	codingGzip
	numCodings
)

// codingNames are the Content-Encoding values of the codings.
var codingNames = [numCodings]string{"", "br", "zstd", "gzip"}

// codingSuffixes are the file-name suffixes of precompressed siblings and the
// suffixes kk appends to a strong ETag for a coded representation.
var codingSuffixes = [numCodings]string{"", ".br", ".zst", ".gz"}

// codingSet is a bit set of codings, bit c for coding c.
type codingSet uint8

func (s codingSet) has(c coding) bool { return s&(1<<c) != 0 }

// allCodings is every compressed coding.
const allCodings codingSet = 1<<codingBrotli | 1<<codingZstd | 1<<codingGzip

// negotiate picks the coding to send for the request's Accept-Encoding
// header among offered: the one the client gives the highest q-value, ties
// going br, zstd, gzip. A coding the client does not name takes the q-value
// of "*" when it sends one, else is not acceptable; "q=0" refuses. When no
// offered coding is acceptable the answer is identity, which kk always
// treats as acceptable (sending nothing is never better). It does not
// allocate.
func negotiate(header []byte, offered codingSet) coding {
	if len(header) == 0 || offered == 0 {
		return codingIdentity
	}
	var q [numCodings]int // thousandths; -1: not named
	for i := range q {
		q[i] = -1
	}
	star := -1
	for len(header) > 0 {
		var item []byte
		item, header = cutByte(header, ',')
		name, params := cutByte(item, ';')
		name = trimOWS(name)
		w := qValue(params)
		switch {
		case equalFold(name, "br"):
			q[codingBrotli] = w
		case equalFold(name, "zstd"):
			q[codingZstd] = w
		case equalFold(name, "gzip"), equalFold(name, "x-gzip"):
			q[codingGzip] = max(q[codingGzip], w)
		case len(name) == 1 && name[0] == '*':
			star = w
		}
	}
	best, bestQ := codingIdentity, 0
	for c := codingBrotli; c < numCodings; c++ {
		if !offered.has(c) {
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
		p, params = cutByte(params, ';')
		p = trimOWS(p)
		if len(p) < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=' {
			continue
		}
		return parseQ(trimOWS(p[2:]))
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

// cutByte splits b around the first sep.
func cutByte(b []byte, sep byte) (before, after []byte) {
	for i, c := range b {
		if c == sep {
			return b[:i], b[i+1:]
		}
	}
	return b, nil
}

// trimOWS trims the spaces and tabs HTTP allows around list items.
func trimOWS(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// equalFold reports whether b is s, ignoring ASCII case; s is lower case.
func equalFold(b []byte, s string) bool {
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
