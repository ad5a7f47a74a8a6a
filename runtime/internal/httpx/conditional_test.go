package httpx

import (
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// TestParseRange reads Range headers for a 100-byte representation as
// RFC 9110 §14.1.2 defines them; ok false means the whole representation
// is sent (a malformed header, another unit, several ranges).
func TestParseRange(t *testing.T) {
	const size = 100
	for _, tc := range []struct {
		spec   string
		want   ByteRange
		wantOK bool
	}{
		{"bytes=0-9", ByteRange{Start: 0, End: 9}, true},
		{"bytes=90-", ByteRange{Start: 90, End: 99}, true},
		{"bytes=90-500", ByteRange{Start: 90, End: 99}, true}, // last-pos past the end is clipped
		{"bytes=-10", ByteRange{Start: 90, End: 99}, true},    // suffix
		{"bytes=-500", ByteRange{Start: 0, End: 99}, true},
		{"BYTES = 5-5", ByteRange{Start: 5, End: 5}, true}, // unit case-insensitive, OWS
		{"bytes=100-", ByteRange{Unsatisfiable: true}, true},
		{"bytes=-0", ByteRange{Unsatisfiable: true}, true},
		{"bytes=99999999999999999999999-", ByteRange{Unsatisfiable: true}, true},
		{"bytes=9-0", ByteRange{}, false}, // last < first: invalid
		{"bytes=0-1,5-6", ByteRange{}, false},
		{"items=0-1", ByteRange{}, false},
		{"bytes=a-b", ByteRange{}, false},
		{"bytes=5", ByteRange{}, false},
		{"bytes 0-1", ByteRange{}, false},
	} {
		got, ok := ParseRange([]byte(tc.spec), size)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("ParseRange(%q) = %+v, %v; want %+v, %v", tc.spec, got, ok, tc.want, tc.wantOK)
		}
	}
	if _, ok := ParseRange([]byte("bytes=-5"), 0); ok {
		t.Error("a suffix range of an empty representation: want the whole (empty) answer")
	}
}

// TestPrecondition follows RFC 9110 §13.2.2's order: If-Match, then
// If-Unmodified-Since only without it; If-None-Match, then
// If-Modified-Since only without it.
func TestPrecondition(t *testing.T) {
	mod := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	date := func(t time.Time) string { return string(fasthttp.AppendHTTPDate(nil, t)) }
	const tag = `"abc"`
	for _, tc := range []struct {
		name    string
		headers [][2]string
		mod     time.Time
		want    int
	}{
		{"none", nil, mod, 0},
		{"If-Match same", [][2]string{{"If-Match", `"x", "abc"`}}, mod, 0},
		{"If-Match star", [][2]string{{"If-Match", "*"}}, mod, 0},
		{"If-Match other", [][2]string{{"If-Match", `"x"`}}, mod, 412},
		{"If-Match weak never matches", [][2]string{{"If-Match", `W/"abc"`}}, mod, 412},
		{"If-Match over If-Unmodified-Since", [][2]string{{"If-Match", tag}, {"If-Unmodified-Since", date(mod.Add(-time.Hour))}}, mod, 0},
		{"If-Unmodified-Since earlier", [][2]string{{"If-Unmodified-Since", date(mod.Add(-time.Hour))}}, mod, 412},
		{"If-Unmodified-Since same second", [][2]string{{"If-Unmodified-Since", date(mod)}}, mod.Add(500 * time.Millisecond), 0},
		{"If-Unmodified-Since unknown mod", [][2]string{{"If-Unmodified-Since", date(mod.Add(-time.Hour))}}, time.Time{}, 0},
		{"If-None-Match same", [][2]string{{"If-None-Match", tag}}, mod, 304},
		{"If-None-Match weak matches", [][2]string{{"If-None-Match", `W/"abc"`}}, mod, 304},
		{"If-None-Match other", [][2]string{{"If-None-Match", `"x"`}}, mod, 0},
		{"If-None-Match over If-Modified-Since", [][2]string{{"If-None-Match", `"x"`}, {"If-Modified-Since", date(mod)}}, mod, 0},
		{"If-Modified-Since same", [][2]string{{"If-Modified-Since", date(mod)}}, mod, 304},
		{"If-Modified-Since earlier", [][2]string{{"If-Modified-Since", date(mod.Add(-time.Hour))}}, mod, 0},
		{"If-Modified-Since bad date", [][2]string{{"If-Modified-Since", "yesterday"}}, mod, 0},
		{"If-None-Match repeated lines", [][2]string{{"If-None-Match", `"x"`}, {"If-None-Match", tag}}, mod, 304},
	} {
		var h fasthttp.RequestHeader
		for _, kv := range tc.headers {
			h.Add(kv[0], kv[1])
		}
		if got := Precondition(&h, tc.mod, tag); got != tc.want {
			t.Errorf("%s: Precondition = %d; want %d", tc.name, got, tc.want)
		}
	}
}

// TestIfRange: a Range is honoured only when If-Range names the current
// representation by a strong tag or by its exact date (§13.1.5).
func TestIfRange(t *testing.T) {
	mod := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		value string
		mod   time.Time
		want  bool
	}{
		{"", mod, true},
		{`"abc"`, mod, true},
		{`"old"`, mod, false},
		{`W/"abc"`, mod, false},
		{string(fasthttp.AppendHTTPDate(nil, mod)), mod, true},
		{string(fasthttp.AppendHTTPDate(nil, mod.Add(-time.Second))), mod, false},
		{string(fasthttp.AppendHTTPDate(nil, mod)), time.Time{}, false},
	} {
		var h fasthttp.RequestHeader
		if tc.value != "" {
			h.Set("If-Range", tc.value)
		}
		if got := IfRange(&h, tc.mod, `"abc"`); got != tc.want {
			t.Errorf("If-Range %q (mod %v): %v; want %v", tc.value, tc.mod, got, tc.want)
		}
	}
}
