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

// decodable says how a path parameter of type t is decoded, or why it
// cannot be.
func decodable(t types.Type) (model.Arg, string) {
	t = types.Unalias(t)
	arg := model.Arg{Type: typeRef(t)}
	named, isNamedType := t.(*types.Named)
	if isNamedType && named.TypeArgs().Len() > 0 {
		return arg, "instantiated generic types are not supported"
	}
	if _, isPtr := t.(*types.Pointer); !isPtr && types.Implements(types.NewPointer(t), textUnmarshaler) {
		if !isNamedType {
			return arg, "only named types can implement encoding.TextUnmarshaler"
		}
		arg.Decoder = model.DecodeText
		return arg, ""
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
			return arg, "uintptr is not a path parameter type"
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
