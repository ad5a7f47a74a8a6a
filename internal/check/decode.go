package check

import (
	"go/types"

	"github.com/kommandkit/kk/internal/model"
)

var textUnmarshaler = func() *types.Interface {
	// encoding.TextUnmarshaler, built here so checking needs no import of
	// package encoding from the user's program.
	params := types.NewTuple(types.NewVar(0, nil, "text", byteSlice))
	results := types.NewTuple(types.NewVar(0, nil, "", errorType))
	sig := types.NewSignatureType(nil, nil, nil, params, results, false)
	m := types.NewFunc(0, nil, "UnmarshalText", sig)
	return types.NewInterfaceType([]*types.Func{m}, nil).Complete()
}()

// decodable says how one value of type t is decoded from a request
// string, or why it cannot be.
func decodable(t types.Type) (model.Scalar, string) {
	t = types.Unalias(t)
	arg := model.Scalar{Type: typeRef(t)}
	named, isNamedType := t.(*types.Named)
	if isNamedType && named.TypeArgs().Len() > 0 {
		return arg, "instantiated generic types are not supported"
	}
	// time.Duration is an int64 of nanoseconds, but people write 300ms;
	// time.Time has UnmarshalText, which kk.ParseTime calls with a
	// message that says what it wants.
	switch {
	case isNamed(t, "time", "Duration"):
		arg.Decoder = model.DecodeDuration
		return arg, ""
	case isNamed(t, "time", "Time"):
		arg.Decoder = model.DecodeTime
		return arg, ""
	}
	if text, ok := textDecodable(t); ok {
		if !isNamedType {
			return arg, "only named types can implement encoding.TextUnmarshaler"
		}
		return text, ""
	}
	arg.Convert = isNamedType
	switch u := t.Underlying().(type) {
	case *types.Basic:
		info := u.Info()
		switch {
		case u.Kind() == types.String:
			arg.Decoder = model.DecodeString
		case u.Kind() == types.Bool:
			arg.Decoder = model.DecodeBool
		case u.Kind() == types.Uintptr:
			return arg, "uintptr is not a parameter type"
		case info&types.IsInteger != 0:
			arg.Decoder = model.DecodeInt
			if info&types.IsUnsigned != 0 {
				arg.Decoder = model.DecodeUint
			}
			arg.Bits = intBits[u.Kind()]
			arg.Convert = isNamedType || !(u.Kind() == types.Int64 || u.Kind() == types.Uint64)
		case info&types.IsFloat != 0:
			arg.Decoder = model.DecodeFloat
			arg.Bits = 64
			if u.Kind() == types.Float32 {
				arg.Bits = 32
				arg.Convert = true
			}
		default:
			return arg, "want string, []byte, bool, an integer or a float type, or a type whose pointer implements encoding.TextUnmarshaler"
		}
		return arg, ""
	case *types.Slice:
		if types.Identical(u.Elem(), types.Typ[types.Byte]) {
			arg.Decoder = model.DecodeBytes
			return arg, ""
		}
	case *types.Pointer:
		return arg, "pointers are not decoded; use T where *T implements encoding.TextUnmarshaler"
	}
	return arg, "want string, []byte, bool, an integer or a float type, or a type whose pointer implements encoding.TextUnmarshaler"
}

var intBits = map[types.BasicKind]int{
	types.Int: 0, types.Int8: 8, types.Int16: 16, types.Int32: 32, types.Int64: 64,
	types.Uint: 0, types.Uint8: 8, types.Uint16: 16, types.Uint32: 32, types.Uint64: 64,
}

// scalar is decodable, plus, where a value may be absent or repeated
// (everywhere but the path), *T for "absent is nil" and []T for every value
// of a repeated key. With files, *multipart.FileHeader and its slice too.
func scalar(t types.Type, multi, files bool) (model.Scalar, string) {
	t = types.Unalias(t)
	if multi {
		if files {
			if p, ok := t.(*types.Pointer); ok && isNamed(p.Elem(), "mime/multipart", "FileHeader") {
				return model.Scalar{File: true}, ""
			}
			if s, ok := t.(*types.Slice); ok {
				if p, ok := types.Unalias(s.Elem()).(*types.Pointer); ok && isNamed(p.Elem(), "mime/multipart", "FileHeader") {
					return model.Scalar{File: true, Slice: true}, ""
				}
			}
		}
		switch u := t.(type) {
		case *types.Pointer:
			if _, isText := textDecodable(t); !isText {
				s, why := decodable(u.Elem())
				if why == "" && s.Decoder == model.DecodeBytes {
					why = "a *[]byte cannot be absent any better than a nil []byte"
				}
				s.Ptr = true
				return s, why
			}
		case *types.Slice:
			if !types.Identical(u.Elem(), types.Typ[types.Byte]) {
				s, why := decodable(u.Elem())
				if why == "" && s.Decoder == model.DecodeBytes {
					why = "slices of []byte are not supported"
				}
				s.Slice = true
				return s, why
			}
		}
	}
	return decodable(t)
}

// textDecodable reports whether *t implements encoding.TextUnmarshaler.
func textDecodable(t types.Type) (model.Scalar, bool) {
	if _, isPtr := types.Unalias(t).(*types.Pointer); isPtr {
		return model.Scalar{}, false
	}
	return model.Scalar{Decoder: model.DecodeText, Type: typeRef(t)}, types.Implements(types.NewPointer(t), textUnmarshaler)
}
