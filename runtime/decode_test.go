package kk_test

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"testing"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

func TestParseIntRanges(t *testing.T) {
	for _, tc := range []struct {
		in   string
		bits int
		want int64
		err  string
	}{
		{"127", 8, 127, ""},
		{"-128", 8, -128, ""},
		{"128", 8, 0, `path parameter "p": "128" is out of range for int8`},
		{"-129", 8, 0, `path parameter "p": "-129" is out of range for int8`},
		{"32767", 16, 32767, ""},
		{"32768", 16, 0, `path parameter "p": "32768" is out of range for int16`},
		{"2147483648", 32, 0, `path parameter "p": "2147483648" is out of range for int32`},
		{"9223372036854775807", 64, math.MaxInt64, ""},
		{"9223372036854775808", 0, 0, `path parameter "p": "9223372036854775808" is out of range for int`},
		{"+5", 64, 5, ""},
		{"1_000", 64, 0, `path parameter "p": "1_000" is not a valid int64`},
		{"0x10", 64, 0, `path parameter "p": "0x10" is not a valid int64`},
		{"abc", 64, 0, `path parameter "p": "abc" is not a valid int64`},
	} {
		got, err := kk.ParseInt(kk.InPath, "p", []byte(tc.in), tc.bits)
		if msg := errString(err); got != tc.want || msg != tc.err {
			t.Errorf("ParseInt(%q, %d) = %d, %q; want %d, %q", tc.in, tc.bits, got, msg, tc.want, tc.err)
		}
		if err != nil {
			if sc, ok := err.(kk.StatusCoder); !ok || sc.StatusCode() != 400 {
				t.Errorf("ParseInt(%q) error is not a 400: %#v", tc.in, err)
			}
		}
	}
}

func TestParseUint(t *testing.T) {
	for _, tc := range []struct {
		in   string
		bits int
		want uint64
		err  string
	}{
		{"255", 8, 255, ""},
		{"256", 8, 0, `path parameter "p": "256" is out of range for uint8`},
		{"-1", 0, 0, `path parameter "p": "-1" is not a valid uint`},
		{"65535", 16, 65535, ""},
		{"4294967296", 32, 0, `path parameter "p": "4294967296" is out of range for uint32`},
		{"18446744073709551615", 64, math.MaxUint64, ""},
	} {
		got, err := kk.ParseUint(kk.InPath, "p", []byte(tc.in), tc.bits)
		if msg := errString(err); got != tc.want || msg != tc.err {
			t.Errorf("ParseUint(%q, %d) = %d, %q; want %d, %q", tc.in, tc.bits, got, msg, tc.want, tc.err)
		}
	}
}

func TestParseFloatAndBool(t *testing.T) {
	if v, err := kk.ParseFloat(kk.InPath, "f", []byte("1.5"), 32); v != 1.5 || err != nil {
		t.Errorf("ParseFloat 1.5 = %v, %v", v, err)
	}
	if _, err := kk.ParseFloat(kk.InPath, "f", []byte("1e39"), 32); errString(err) != `path parameter "f": "1e39" is out of range for float32` {
		t.Errorf("ParseFloat 1e39/32: %v", err)
	}
	if _, err := kk.ParseFloat(kk.InPath, "f", []byte("x"), 64); errString(err) != `path parameter "f": "x" is not a valid float64` {
		t.Errorf("ParseFloat x: %v", err)
	}
	for in, want := range map[string]bool{"true": true, "1": true, "T": true, "false": false, "0": false, "F": false} {
		if v, err := kk.ParseBool(kk.InPath, "b", []byte(in)); v != want || err != nil {
			t.Errorf("ParseBool(%q) = %v, %v", in, v, err)
		}
	}
	if _, err := kk.ParseBool(kk.InPath, "b", []byte("yes")); errString(err) != `path parameter "b": "yes" is not a valid bool` {
		t.Errorf("ParseBool yes: %v", err)
	}
}

func TestDecodersDoNotAllocate(t *testing.T) {
	b := []byte("123456")
	n := testing.AllocsPerRun(100, func() {
		if _, err := kk.ParseInt(kk.InPath, "id", b, 64); err != nil {
			t.Fatal(err)
		}
		if _, err := kk.ParseUint(kk.InPath, "id", b, 32); err != nil {
			t.Fatal(err)
		}
		if _, err := kk.ParseFloat(kk.InPath, "id", b, 64); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("decoding allocates %v times per run", n)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestParamErrorKeepsADecodersMessageAndIsA400(t *testing.T) {
	inner := fmt.Errorf("bad point: %w", strconv.ErrSyntax)
	err := kk.BadParam(kk.InPath, "p", []byte("3,x"), "Point", inner)
	if got, want := err.Error(), `path parameter "p": "3,x" is not a valid Point: bad point: invalid syntax`; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	sentinel := errors.New("no such thing")
	tab := kk.Table{
		Routes:   []kk.Route{{Method: "GET", Pattern: "/p/:p", Params: []string{"p"}}},
		Methods:  []string{"GET"},
		Match:    func(string, []byte, *kk.Params) int { return 0 },
		StatusOf: func(err error) int { return map[bool]int{true: 404}[errors.Is(err, sentinel)] },
	}
	tab.Routes[0].Handler = func(c *kk.Ctx) error { return kk.BadParam(kk.InPath, "p", c.ParamBytes("p"), "Thing", sentinel) }
	if resp := kktest.Do(kk.New(tab), "GET", "/p/x"); resp.StatusCode() != 400 {
		t.Errorf("a decoder error wrapping a //kk:error sentinel answered %d, want 400", resp.StatusCode())
	}
}
