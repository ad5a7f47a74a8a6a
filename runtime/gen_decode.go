package kk

import (
	"errors"
	"strconv"
	"time"
)

// BadParam is the error for a parameter whose decoder (such as an
// UnmarshalText method) rejected value b.
func BadParam(in In, name string, b []byte, typ string, err error) error {
	return &ParamError{In: in, Name: name, Value: string(b), Type: typ, Err: err}
}

func intType(signed bool, bits int) string {
	t := "int"
	if !signed {
		t = "uint"
	}
	if bits != 0 {
		t += strconv.Itoa(bits)
	}
	return t
}

// ParseInt decodes a signed integer parameter of the given bit size (0 for
// int) in base 10, rejecting values out of range rather than wrapping.
func ParseInt(in In, name string, b []byte, bits int) (int64, error) {
	// The common case first: up to 9 plain digits fit every size from 32
	// bits up, with no sign or range to check.
	if v, ok := digits9(b); ok && (bits == 0 || bits >= 32) {
		return int64(v), nil
	}
	if v, ok := fastInt(b, bits); ok {
		return v, nil
	}
	v, err := strconv.ParseInt(b2s(b), 10, bits)
	if err != nil {
		return 0, BadParam(in, name, b, intType(true, bits), unwrapNum(err))
	}
	return v, nil
}

// ParseUint decodes an unsigned integer parameter of the given bit size (0
// for uint) in base 10, rejecting signs and values out of range.
func ParseUint(in In, name string, b []byte, bits int) (uint64, error) {
	if v, ok := digits9(b); ok && (bits == 0 || bits >= 32) {
		return uint64(v), nil
	}
	if len(b) > 0 && b[0] != '-' && b[0] != '+' {
		if v, ok := fastInt(b, 64); ok && (bits == 0 && strconv.IntSize == 64 || bits == 64 || v < 1<<bits) {
			return uint64(v), nil
		}
	}
	v, err := strconv.ParseUint(b2s(b), 10, bits)
	if err != nil {
		return 0, BadParam(in, name, b, intType(false, bits), unwrapNum(err))
	}
	return v, nil
}

// ParseFloat decodes a float32 or float64 parameter as strconv.ParseFloat
// does; values that overflow the type are rejected.
func ParseFloat(in In, name string, b []byte, bits int) (float64, error) {
	v, err := strconv.ParseFloat(b2s(b), bits)
	if err != nil {
		return 0, BadParam(in, name, b, "float"+strconv.Itoa(bits), unwrapNum(err))
	}
	return v, nil
}

// ParseBool decodes a bool parameter as strconv.ParseBool does: 1, t, T,
// TRUE, true, True, 0, f, F, FALSE, false, False.
func ParseBool(in In, name string, b []byte) (bool, error) {
	v, err := strconv.ParseBool(b2s(b))
	if err != nil {
		return false, BadParam(in, name, b, "bool", unwrapNum(err))
	}
	return v, nil
}

// errDuration and errTime say what a duration or time parameter wants;
// the value itself is in the ParamError.
var (
	errDuration = errors.New("want a Go duration such as 300ms, 1.5s or 1h30m")
	errTime     = errors.New("want an RFC 3339 time such as 2006-01-02T15:04:05Z")
)

// ParseDuration decodes a time.Duration parameter as time.ParseDuration
// reads it: a signed sequence of decimal numbers, each with a unit (ns,
// us, µs, ms, s, m, h), such as 300ms, -1.5h or 1h2m3s; "0" needs no unit.
// A bare number of nanoseconds is refused, since 300 meant as seconds or
// milliseconds would silently be 300ns.
func ParseDuration(in In, name string, b []byte) (time.Duration, error) {
	d, err := time.ParseDuration(b2s(b))
	if err != nil {
		return 0, BadParam(in, name, b, "time.Duration", errDuration)
	}
	return d, nil
}

// ParseTime decodes a time.Time parameter in RFC 3339, as
// (*time.Time).UnmarshalText reads it: 2006-01-02T15:04:05Z, with optional
// fractional seconds and a Z or ±hh:mm offset.
func ParseTime(in In, name string, b []byte) (time.Time, error) {
	var t time.Time
	if err := t.UnmarshalText(b); err != nil {
		return time.Time{}, BadParam(in, name, b, "time.Time", errTime)
	}
	return t, nil
}

// digits9 decodes 1 to 9 decimal digits with no sign.
func digits9(b []byte) (uint32, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	var v uint32
	for _, d := range b {
		d -= '0'
		if d > 9 {
			return 0, false
		}
		v = v*10 + uint32(d)
	}
	return v, true
}

// fastInt decodes the common case, an optionally signed run of at most 18
// decimal digits that fits in bits, without strconv's generality. Anything
// else, including every error, is left to strconv, which has the last word.
func fastInt(b []byte, bits int) (int64, bool) {
	neg := false
	digits := b
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg, digits = b[0] == '-', b[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		return 0, false
	}
	var v int64
	for _, d := range digits {
		d -= '0'
		if d > 9 {
			return 0, false
		}
		v = v*10 + int64(d)
	}
	if neg {
		v = -v
	}
	if bits == 0 {
		bits = strconv.IntSize
	}
	if bits < 64 && (v < -1<<(bits-1) || v >= 1<<(bits-1)) {
		return 0, false
	}
	return v, true
}

// unwrapNum keeps strconv's sentinel (ErrSyntax, ErrRange) and drops the
// NumError around it, whose Num would alias the request buffer.
func unwrapNum(err error) error {
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		return ne.Err
	}
	return err
}
