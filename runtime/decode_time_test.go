package kk

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// ParseDuration and ParseTime are held to the standard library, their
// oracle: time.ParseDuration and (*time.Time).UnmarshalText accept the
// same values with the same results, and what they refuse is a 400 that
// names the parameter, the value and what was wanted, without aliasing the
// request buffer.

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"300ms", "1h2m", "-1.5s", "0", "300", "2µs", "1us", "", "9999999999h", ".5s", "1h-2m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		got, err := ParseDuration(InQuery, "n", b)
		want, werr := time.ParseDuration(s)
		checkTimeDecode(t, s, b, "time.Duration", got == want, err, werr, errDuration)
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2006-01-02T15:04:05Z", "2024-02-29T12:30:00.123456789+05:30", "2024-02-30T00:00:00Z", "2024-01-02", "1700000000", "", "2006-01-02t15:04:05z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		got, err := ParseTime(InQuery, "n", b)
		var want time.Time
		werr := want.UnmarshalText([]byte(s))
		checkTimeDecode(t, s, b, "time.Time", got.Equal(want) && got.Location().String() == want.Location().String(), err, werr, errTime)
	})
}

func checkTimeDecode(t *testing.T, s string, b []byte, typ string, same bool, err, werr, sentinel error) {
	t.Helper()
	if (err == nil) != (werr == nil) {
		t.Fatalf("%q: error %v, the standard library says %v", s, err, werr)
	}
	if err == nil {
		if !same {
			t.Fatalf("%q: value differs from the standard library's", s)
		}
		return
	}
	var pe *ParamError
	if !errors.As(err, &pe) || pe.Err != sentinel || pe.Name != "n" || pe.Type != typ || pe.Value != s || pe.StatusCode() != 400 {
		t.Fatalf("%q: error %#v", s, err)
	}
	if msg := pe.Error(); !strings.Contains(msg, typ) || !strings.Contains(msg, sentinel.Error()) {
		t.Errorf("%q: message %q does not say what was wanted", s, msg)
	}
	for i := range b {
		b[i] ^= 0xff
	}
	if pe.Value != s {
		t.Errorf("%q: the error's value changed with the request buffer: %q", s, pe.Value)
	}
}

func TestDurationAndTimeDecodersDoNotAllocate(t *testing.T) {
	d, tm, tmOff := []byte("1h2m300ms"), []byte("2024-02-29T12:30:00.5Z"), []byte("2024-02-29T12:30:00+00:00")
	n := testing.AllocsPerRun(100, func() {
		if v, err := ParseDuration(InPath, "d", d); err != nil || v != time.Hour+2*time.Minute+300*time.Millisecond {
			t.Fatal(v, err)
		}
		if _, err := ParseTime(InQuery, "t", tm); err != nil {
			t.Fatal(err)
		}
		if _, err := ParseTime(InQuery, "t", tmOff); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("decoding allocates %v times per run", n)
	}
}
