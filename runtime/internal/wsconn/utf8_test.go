package wsconn

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// TestUTF8StreamAgreesWithValid: however a text is cut into pieces, the
// stream accepts it exactly when utf8.Valid (RFC 3629) does, and a
// rejection comes no later than the piece holding the first byte after
// which no continuation could make the text valid.
func TestUTF8StreamAgreesWithValid(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte{'a', 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xa0, 0xed, 0x9f, 0xef, 0xf0, 0x90, 0x8f, 0xf4, 0xf5, 0xff}
	for i := 0; i < 20000; i++ {
		n := r.IntN(12)
		b := make([]byte, n)
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		if r.IntN(4) == 0 { // mix in real text
			b = append(b, []byte("κόσμε 😀")...)
		}
		var v utf8Stream
		ok := true
		failedAt := -1
		for pos := 0; pos < len(b); {
			k := 1 + r.IntN(4)
			k = min(k, len(b)-pos)
			if !v.write(b[pos : pos+k]) {
				ok, failedAt = false, pos+k
				break
			}
			pos += k
		}
		if ok {
			ok = v.end()
		}
		if ok != utf8.Valid(b) {
			t.Fatalf("% x: stream says %v, utf8.Valid %v", b, ok, utf8.Valid(b))
		}
		if failedAt >= 0 {
			// The text up to the piece that failed must not be completable.
			if completable(b[:failedAt]) {
				t.Fatalf("% x: rejected at %d, but % x could still become valid", b, failedAt, b[:failedAt])
			}
		}
	}
}

// completable: some continuation bytes (at most three) make p valid.
// (utf8.Valid is the oracle.)
func completable(p []byte) bool {
	if utf8.Valid(p) {
		return true
	}
	var try func(b []byte, k int) bool
	try = func(b []byte, k int) bool {
		if utf8.Valid(b) {
			return true
		}
		if k == 0 {
			return false
		}
		// Every range of RFC 3629's table starts and ends at one of these.
		for _, c := range []byte{0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf} {
			if try(append(b, c), k-1) {
				return true
			}
		}
		return false
	}
	return try(append([]byte(nil), p...), 3)
}
