package check

import (
	"go/types"
	"reflect"
	"strings"
)

// What encoding/json can carry, for results (encoded) and bus messages
// (encoded and decoded), checked when generating rather than failing on
// the first request or message.

// jsonProblem says why encoding/json cannot carry a value of type t (with
// decode, also decode it), looking through pointers, slices, arrays, maps
// and the exported fields of structs; "" when it can. A type with its own
// JSON (or text) methods is taken at its word.
func (c *checker) jsonProblem(t types.Type, decode bool) string {
	return c.jsonWhy(t, decode, map[types.Type]bool{})
}

func (c *checker) jsonWhy(t types.Type, decode bool, seen map[types.Type]bool) string {
	t = types.Unalias(t)
	if seen[t] {
		return ""
	}
	seen[t] = true
	if hasMethod(t, "MarshalJSON") || hasMethod(t, "UnmarshalJSON") || hasMethod(t, "MarshalText") && (!decode || hasMethod(t, "UnmarshalText")) {
		return ""
	}
	switch u := t.Underlying().(type) {
	case *types.Chan:
		return "it is a channel"
	case *types.Signature:
		return "it is a func"
	case *types.Basic:
		if u.Info()&types.IsComplex != 0 {
			return "it is a complex number"
		}
		if u.Kind() == types.UnsafePointer {
			return "it is an unsafe.Pointer"
		}
	case *types.Interface:
		if decode && !u.Empty() {
			return "it is an interface other than any, which JSON cannot decode into"
		}
	case *types.Pointer:
		return c.jsonWhy(u.Elem(), decode, seen)
	case *types.Slice:
		return c.jsonWhy(u.Elem(), decode, seen)
	case *types.Array:
		return c.jsonWhy(u.Elem(), decode, seen)
	case *types.Map:
		k := types.Unalias(u.Key())
		kb, isBasic := k.Underlying().(*types.Basic)
		textKey := hasMethod(k, "MarshalText") && (!decode || hasMethod(k, "UnmarshalText"))
		if !textKey && (!isBasic || kb.Info()&(types.IsString|types.IsInteger) == 0) {
			return "its map key " + types.TypeString(u.Key(), c.qualifier) + " is not a string, an integer or a TextMarshaler"
		}
		if why := c.jsonWhy(u.Elem(), decode, seen); why != "" {
			return "its map values: " + why
		}
	case *types.Struct:
		for i := range u.NumFields() {
			f := u.Field(i)
			tag := reflectTag(u.Tag(i), "json")
			if tag == "-" || !f.Exported() && !f.Embedded() {
				continue
			}
			if why := c.jsonWhy(f.Type(), decode, seen); why != "" {
				return "field " + f.Name() + ": " + why
			}
		}
	}
	return ""
}

// hasMethod reports whether t, or *t for a non-pointer, non-interface t,
// has the method name.
func hasMethod(t types.Type, name string) bool {
	x := t
	if _, isPtr := t.Underlying().(*types.Pointer); !isPtr && !types.IsInterface(t) {
		x = types.NewPointer(t)
	}
	return types.NewMethodSet(x).Lookup(nil, name) != nil
}

func reflectTag(tag, key string) string {
	v, _, _ := strings.Cut(reflect.StructTag(tag).Get(key), ",")
	return v
}
