package kk

import (
	"bytes"
	"math"
	"time"

	"github.com/valyala/fasthttp"
)

// This file holds the conditional and range rules of Static (RFC 9110
// sections 13 and 14).

// notModified reports whether the request's validators say the client's
// copy of f is current, and returns the entity tag to send with the 304:
// the one of the client's that matched, or f's own for a date match.
//
// If-None-Match is compared weakly (W/ ignored) against all of f's
// representations ("hash", "hash-br", "hash-zstd", "hash-gzip"): each is
// the same content, which is what a 304 vouches for. If-Modified-Since is
// only looked at without If-None-Match, and only when the FS knows
// modification times.
func notModified(c *Ctx, f *staticFile) ([]byte, bool) {
	if inm := c.Request.Header.Peek(fasthttp.HeaderIfNoneMatch); len(inm) > 0 {
		for len(inm) > 0 {
			var item []byte
			item, inm = cutByte(inm, ',')
			item = trimOWS(item)
			if len(item) == 1 && item[0] == '*' {
				return []byte(f.tags[codingIdentity]), true
			}
			if f.isTag(bytes.TrimPrefix(item, []byte("W/"))) {
				return item, true
			}
		}
		return nil, false
	}
	if f.mod.IsZero() {
		return nil, false
	}
	ims := c.Request.Header.Peek(fasthttp.HeaderIfModifiedSince)
	if len(ims) == 0 {
		return nil, false
	}
	t, err := fasthttp.ParseHTTPDate(ims)
	if err != nil || f.mod.Truncate(time.Second).After(t) {
		return nil, false
	}
	return []byte(f.tags[codingIdentity]), true
}

// isTag reports whether tag (quoted) is one of f's representation tags.
func (f *staticFile) isTag(tag []byte) bool {
	for _, t := range f.tags {
		if string(tag) == t {
			return true
		}
	}
	return false
}

// ifRange reports whether a Range may be honoured: there is no If-Range,
// or it names f's current version, by a strong entity tag (a weak one
// never matches) or by exactly its Last-Modified date.
func ifRange(c *Ctx, f *staticFile) bool {
	v := trimOWS(c.Request.Header.Peek(fasthttp.HeaderIfRange))
	switch {
	case len(v) == 0:
		return true
	case v[0] == '"':
		return f.isTag(v)
	case bytes.HasPrefix(v, []byte("W/")):
		return false
	case f.mod.IsZero():
		return false
	}
	t, err := fasthttp.ParseHTTPDate(v)
	return err == nil && f.mod.Truncate(time.Second).Equal(t)
}

// byteRange is one satisfiable range, inclusive, or an unsatisfiable one.
type byteRange struct {
	start, end    int64
	unsatisfiable bool
}

// parseRange reads a Range header for a file of size bytes. ok is false
// when the header is to be ignored and the whole file sent: it is
// malformed, names another unit, or asks for more than one range (kk
// sends no multipart/byteranges; RFC 9110 lets a server send the whole
// representation instead).
func parseRange(spec []byte, size int64) (r byteRange, ok bool) {
	unit, set := cutByte(spec, '=')
	if set == nil || !equalFold(trimOWS(unit), "bytes") {
		return r, false
	}
	var one []byte
	for len(set) > 0 {
		var item []byte
		item, set = cutByte(set, ',')
		if item = trimOWS(item); len(item) == 0 {
			continue
		}
		if one != nil {
			return r, false // several ranges: the whole file
		}
		one = item
	}
	first, last := cutByte(one, '-')
	if last == nil { // no '-'
		return r, false
	}
	first, last = trimOWS(first), trimOWS(last)
	if len(first) == 0 { // "-N": the last N bytes
		n, ok := digits(last)
		if !ok {
			return r, false
		}
		if n == 0 || size == 0 {
			return byteRange{unsatisfiable: true}, true
		}
		return byteRange{start: max(0, size-n), end: size - 1}, true
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
		return byteRange{unsatisfiable: true}, true
	}
	return byteRange{start: start, end: min(end, size-1)}, true
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
