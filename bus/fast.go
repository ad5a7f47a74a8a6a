package bus

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// In process, a message whose Go type is exactly the consumer's, and whose
// JSON round trip is provably the identity, skips JSON: the consumer gets
// a value copy, which is then indistinguishable from decoding the JSON.
// That holds for a "flat" type: bool, integers, floats and strings, and
// structs of those (nested structs too), every field exported, with no
// `json:"-"`, no embedded fields, unique JSON names, and no type in it
// with JSON or text methods of its own; and per message, only when every
// string is valid UTF-8 (JSON would replace bad bytes) and every float is
// finite (JSON would refuse NaN and ±Inf). Everything else — and any value
// failing the per-message checks — takes the JSON path, so the result is
// the same as on NATS either way.

// flatType is what the per-message check looks at in a flat type.
type flatType struct {
	strings [][]int // field index paths of string fields ({} for a string itself)
	floats  [][]int // of float32/float64 fields
}

var flatTypes sync.Map // reflect.Type → *flatType, or a nil *flatType when not flat

// flat returns the flatType of t, or nil when t is not flat.
func flat(t reflect.Type) *flatType {
	if f, ok := flatTypes.Load(t); ok {
		return f.(*flatType)
	}
	f := &flatType{}
	if !f.walk(t, nil) {
		f = nil
	}
	flatTypes.Store(t, f)
	return f
}

var (
	jsonMarshaler   = reflect.TypeFor[json.Marshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textMarshaler   = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func ownMethods(t reflect.Type) bool {
	for _, i := range []reflect.Type{jsonMarshaler, jsonUnmarshaler, textMarshaler, textUnmarshaler} {
		if t.Implements(i) || reflect.PointerTo(t).Implements(i) {
			return true
		}
	}
	return false
}

func (f *flatType) walk(t reflect.Type, path []int) bool {
	if ownMethods(t) {
		return false
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	case reflect.String:
		f.strings = append(f.strings, path)
		return true
	case reflect.Float32, reflect.Float64:
		f.floats = append(f.floats, path)
		return true
	case reflect.Struct:
		names := map[string]bool{}
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() || sf.Anonymous {
				return false
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if sf.Tag.Get("json") == "-" {
				return false
			}
			if name == "" {
				name = sf.Name
			}
			if names[name] {
				return false
			}
			names[name] = true
			if !f.walk(sf.Type, append(path[:len(path):len(path)], i)) {
				return false
			}
		}
		return true
	}
	return false
}

// ok reports whether v (of the flat type) survives JSON unchanged.
func (f *flatType) ok(v reflect.Value) bool {
	for _, p := range f.strings {
		if !utf8.ValidString(field(v, p).String()) {
			return false
		}
	}
	for _, p := range f.floats {
		x := field(v, p).Float()
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// field is v's field at the index path (v itself for an empty path).
func field(v reflect.Value, path []int) reflect.Value {
	for _, i := range path {
		v = v.Field(i)
	}
	return v
}

// flatValue reports whether v is of exactly type t, t is flat, and v
// survives JSON unchanged: then a value copy may stand for a round trip.
func flatValue(t reflect.Type, v any) bool {
	if reflect.TypeOf(v) != t {
		return false
	}
	f := flat(t)
	return f != nil && f.ok(reflect.ValueOf(v))
}
