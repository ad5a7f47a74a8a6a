package httpx

import (
	"bytes"
	"math"
	"time"

	"github.com/valyala/fasthttp"
)

// This file holds the conditional and range rules of a static file
// answer (RFC 9110 sections 13 and 14).

// Precondition evaluates the request's conditional fields against the
// representation a full answer would send (tag is its entity tag, mod its
// modification time, zero when unknown), in the order of RFC 9110
// §13.2.2, and returns the status that ends the request early: 412 when
// If-Match or If-Unmodified-Since fails, 304 when If-None-Match or
// If-Modified-Since says the client's copy is current, else 0. Range and
// If-Range come after (IfRange, ParseRange).
//
//   - If-Match compares strongly (a W/ tag never matches) and "*" matches;
//     without it, If-Unmodified-Since is looked at, when the FS knows
//     modification time and the date parses (§13.1.4).
//   - If-None-Match compares weakly (W/ ignored on both sides) and "*"
//     matches; without it, If-Modified-Since is looked at, like
//     If-Unmodified-Since.
//
// Repeated field lines of each are read as one list (§5.3).
func Precondition(h *fasthttp.RequestHeader, mod time.Time, tag string) int {
	if im := FieldLines(h, fasthttp.HeaderIfMatch); im != nil {
		if !tagListHas(im, tag, true) {
			return fasthttp.StatusPreconditionFailed
		}
	} else if ius := h.Peek(fasthttp.HeaderIfUnmodifiedSince); len(ius) > 0 && !mod.IsZero() {
		if t, err := fasthttp.ParseHTTPDate(ius); err == nil && mod.Truncate(time.Second).After(t) {
			return fasthttp.StatusPreconditionFailed
		}
	}
	if inm := FieldLines(h, fasthttp.HeaderIfNoneMatch); inm != nil {
		if tagListHas(inm, tag, false) {
			return fasthttp.StatusNotModified
		}
		return 0
	}
	if mod.IsZero() {
		return 0
	}
	ims := h.Peek(fasthttp.HeaderIfModifiedSince)
	if len(ims) == 0 {
		return 0
	}
	if t, err := fasthttp.ParseHTTPDate(ims); err == nil && !mod.Truncate(time.Second).After(t) {
		return fasthttp.StatusNotModified
	}
	return 0
}

// tagListHas reports whether the entity-tag list (or "*") holds tag,
// compared strongly (neither may be weak) or weakly (W/ ignored).
func tagListHas(list []byte, tag string, strong bool) bool {
	for len(list) > 0 {
		var item []byte
		item, list = CutByte(list, ',')
		item = TrimOWS(item)
		switch {
		case len(item) == 1 && item[0] == '*':
			return true
		case bytes.HasPrefix(item, []byte("W/")):
			if !strong && string(item[2:]) == tag {
				return true
			}
		case string(item) == tag:
			return true
		}
	}
	return false
}

// FieldLines is the value of the request header field name, its
// repeated lines joined with ", " as one list (RFC 9110 §5.3), or nil
// when it is absent. One line, the common case, is returned as it is.
func FieldLines(h *fasthttp.RequestHeader, name string) []byte {
	all := h.PeekAll(name)
	switch len(all) {
	case 0:
		return nil
	case 1:
		return all[0]
	}
	return bytes.Join(all, []byte(", "))
}

// IfRange reports whether a Range may be honoured: there is no If-Range,
// or it names the current version of the representation a range is taken
// from (identity, whose tag is tag and modification time mod), by a strong
// entity tag (a weak one never matches, §13.1.5) or by exactly its
// Last-Modified date.
func IfRange(h *fasthttp.RequestHeader, mod time.Time, tag string) bool {
	v := TrimOWS(h.Peek(fasthttp.HeaderIfRange))
	switch {
	case len(v) == 0:
		return true
	case v[0] == '"':
		return string(v) == tag
	case bytes.HasPrefix(v, []byte("W/")):
		return false
	case mod.IsZero():
		return false
	}
	t, err := fasthttp.ParseHTTPDate(v)
	return err == nil && mod.Truncate(time.Second).Equal(t)
}

// ByteRange is one satisfiable range, inclusive, or an unsatisfiable one.
type ByteRange struct {
	Start, End    int64
	Unsatisfiable bool
}

// ParseRange reads a Range header for a file of size bytes. ok is false
// when the header is to be ignored and the whole file sent: it is
// malformed, names another unit, or asks for more than one range (kk
// sends no multipart/byteranges; RFC 9110 lets a server send the whole
// representation instead).
func ParseRange(spec []byte, size int64) (r ByteRange, ok bool) {
	unit, set := CutByte(spec, '=')
	if set == nil || !EqualFold(TrimOWS(unit), "bytes") {
		return r, false
	}
	var one []byte
	for len(set) > 0 {
		var item []byte
		item, set = CutByte(set, ',')
		if item = TrimOWS(item); len(item) == 0 {
			continue
		}
		if one != nil {
			return r, false // several ranges: the whole file
		}
		one = item
	}
	first, last := CutByte(one, '-')
	if last == nil { // no '-'
		return r, false
	}
	first, last = TrimOWS(first), TrimOWS(last)
	if len(first) == 0 { // "-N": the last N bytes
		n, ok := digits(last)
		if !ok {
			return r, false
		}
		if n == 0 {
			return ByteRange{Unsatisfiable: true}, true
		}
		if size == 0 {
			// A non-zero suffix of an empty representation is
			// satisfiable (RFC 9110 §14.1.1) but no 206 can describe
			// it: the answer is the empty whole, 200.
			return r, false
		}
		return ByteRange{Start: max(0, size-n), End: size - 1}, true
	}
	start, ok := digits(first)
	if !ok {
		return r, false
	}
	end := int64(math.MaxInt64)
	if len(last) > 0 {
		if end, ok = digits(last); !ok || end < start {
			return r, false
		}
	}
	if start >= size {
		return ByteRange{Unsatisfiable: true}, true
	}
	return ByteRange{Start: start, End: min(end, size-1)}, true
}

// digits reads a non-empty decimal number; one too large for int64 reads
// as math.MaxInt64 (past the end of any file).
func digits(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (math.MaxInt64-9)/10 {
			n = math.MaxInt64
			continue
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}
