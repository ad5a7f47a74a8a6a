package kk

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

// The fuzz targets below hold every path-parameter decoder to strconv, its
// oracle: the same values accepted, the same results, the same sentinel
// error otherwise, in a ParamError that names the parameter, keeps its own
// copy of the value and answers 400.

func FuzzParseInt(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		for _, bits := range []int{0, 8, 16, 32, 64} {
			b := []byte(s)
			got, err := ParseInt(InPath, "n", b, bits)
			want, werr := strconv.ParseInt(s, 10, bits)
			checkDecode(t, s, b, bits, intType(true, bits), got == want, err, werr)
		}
	})
}

func FuzzParseUint(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		for _, bits := range []int{0, 8, 16, 32, 64} {
			b := []byte(s)
			got, err := ParseUint(InQuery, "n", b, bits)
			want, werr := strconv.ParseUint(s, 10, bits)
			checkDecode(t, s, b, bits, intType(false, bits), got == want, err, werr)
		}
	})
}

func FuzzParseFloat(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		for _, bits := range []int{32, 64} {
			b := []byte(s)
			got, err := ParseFloat(InHeader, "n", b, bits)
			want, werr := strconv.ParseFloat(s, bits)
			same := math.Float64bits(got) == math.Float64bits(want) || math.IsNaN(got) && math.IsNaN(want)
			checkDecode(t, s, b, bits, "float"+strconv.Itoa(bits), same, err, werr)
		}
	})
}

func FuzzParseBool(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		got, err := ParseBool(InCookie, "n", b)
		want, werr := strconv.ParseBool(s)
		checkDecode(t, s, b, 0, "bool", got == want, err, werr)
	})
}

// checkDecode compares one decoder's answer for s (given as b) with
// strconv's: same is whether the values agree, err and werr the errors.
func checkDecode(t *testing.T, s string, b []byte, bits int, typ string, same bool, err, werr error) {
	t.Helper()
	if (err == nil) != (werr == nil) {
		t.Fatalf("%q (bits %d): error %v, strconv says %v", s, bits, err, werr)
	}
	if err == nil {
		if !same {
			t.Fatalf("%q (bits %d): value differs from strconv's", s, bits)
		}
		return
	}
	var pe *ParamError
	if !errors.As(err, &pe) {
		t.Fatalf("%q (bits %d): error %T is not a *ParamError", s, bits, err)
	}
	var ne *strconv.NumError
	if !errors.As(werr, &ne) || pe.Err != ne.Err {
		t.Errorf("%q (bits %d): sentinel %v, strconv says %v", s, bits, pe.Err, werr)
	}
	if pe.Name != "n" || pe.Type != typ || pe.Value != s || pe.StatusCode() != 400 {
		t.Errorf("%q (bits %d): %+v", s, bits, pe)
	}
	msg := pe.Error()
	if !strings.Contains(msg, `"n"`) || !strings.Contains(msg, strconv.Quote(s)) || !strings.Contains(msg, typ) {
		t.Errorf("%q (bits %d): message %q does not name the parameter, value and type", s, bits, msg)
	}
	// The request buffer is reused after the handler returns: the error
	// must not alias it.
	for i := range b {
		b[i] ^= 0xff
	}
	if pe.Value != s {
		t.Errorf("%q (bits %d): the error's value changed with the request buffer: %q", s, bits, pe.Value)
	}
}
