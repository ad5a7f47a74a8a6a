package check

import (
	"encoding/json"
	"go/types"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/kommandkit/kk/internal/model"
)

// Declared constraints: struct-field tags with JSON Schema's keyword names
// (minimum ... example), checked here against the field's type, enforced
// by the generated binder and written into the document's schema. On a
// slice, minItems and maxItems bound the count and every other constraint
// applies to each element.

// constraintTags are the tags read, in the order diagnostics follow.
var constraintTags = []string{"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
	"pattern", "minItems", "maxItems", "enum", "format", "doc", "example"}

// constraints reads and checks the constraint tags of field f (once per
// field), adding the constants of its type as an enum when it has no enum
// tag.
func (s *schemas) constraints(f *types.Var, tag string) fieldConstraints {
	if fc, ok := s.fields[f]; ok {
		return fc
	}
	fc := s.checkConstraints(f, reflect.StructTag(tag))
	s.fields[f] = fc
	return fc
}

func (s *schemas) checkConstraints(f *types.Var, tag reflect.StructTag) fieldConstraints {
	fc := fieldConstraints{ok: true}
	t := types.Unalias(f.Type())
	if p, ok := t.(*types.Pointer); ok {
		fc.ptr, t = true, types.Unalias(p.Elem())
	}
	elem := t
	if !isByteSlice(t) && !hasMethod(t, "UnmarshalText") {
		switch u := t.Underlying().(type) {
		case *types.Slice:
			fc.slice, elem = true, types.Unalias(u.Elem())
		case *types.Array:
			fc.slice, elem = true, types.Unalias(u.Elem())
		}
	}
	if p, ok := elem.(*types.Pointer); ok && fc.slice {
		elem = types.Unalias(p.Elem())
	}
	fc.kind = valueKind(elem)
	at := s.c.pos(f.Pos())
	bad := func(format string, args ...any) {
		s.c.diags.Addf(at, "field %s: "+format, append([]any{f.Name()}, args...)...)
		fc.ok = false
	}
	typ := types.TypeString(f.Type(), s.c.qualifier)
	c := &fc.cons
	for _, key := range constraintTags {
		v, has := tag.Lookup(key)
		if !has {
			continue
		}
		switch key {
		case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
			if fc.kind != model.IntValue && fc.kind != model.UintValue && fc.kind != model.FloatValue {
				bad("%s applies to numbers, not %s", key, typ)
				continue
			}
			if why := numberWhy(v, fc.kind, elem); why != "" {
				bad("%s %q %s", key, v, why)
				continue
			}
			*map[string]*string{"minimum": &c.Minimum, "maximum": &c.Maximum, "exclusiveMinimum": &c.ExclusiveMinimum, "exclusiveMaximum": &c.ExclusiveMaximum}[key] = v
		case "minLength", "maxLength", "pattern":
			if fc.kind != model.StringValue {
				bad("%s applies to strings, not %s", key, typ)
				continue
			}
			if key == "pattern" {
				if _, err := regexp.Compile(v); err != nil {
					bad("pattern %q does not compile: %v", v, err)
					continue
				}
				c.Pattern = v
				continue
			}
			if !isCount(v) {
				bad("%s %q must be a whole number from 0", key, v)
				continue
			}
			*map[string]*string{"minLength": &c.MinLength, "maxLength": &c.MaxLength}[key] = v
		case "minItems", "maxItems":
			if !fc.slice {
				bad("%s applies to slices and arrays, not %s", key, typ)
				continue
			}
			if !isCount(v) {
				bad("%s %q must be a whole number from 0", key, v)
				continue
			}
			*map[string]*string{"minItems": &c.MinItems, "maxItems": &c.MaxItems}[key] = v
		case "enum":
			if fc.kind == model.OtherValue {
				bad("enum applies to strings and numbers, not %s", typ)
				continue
			}
			for _, e := range strings.Split(v, ",") {
				if fc.kind != model.StringValue {
					if why := numberWhy(e, fc.kind, elem); why != "" {
						bad("enum value %q %s", e, why)
						continue
					}
					c.Enum, c.EnumGo = append(c.Enum, e), append(c.EnumGo, e)
					continue
				}
				b, _ := json.Marshal(e)
				c.Enum, c.EnumGo = append(c.Enum, string(b)), append(c.EnumGo, strconv.Quote(e))
			}
		case "format":
			c.Format = v
		case "doc":
			c.Doc = v
		case "example":
			lit, why := exampleLiteral(v, fc.kind, fc.slice)
			if why != "" {
				bad("example %q %s", v, why)
				continue
			}
			c.Example = lit
		}
	}
	s.bounds(c, bad)
	if len(c.EnumGo) == 0 && fc.kind != model.OtherValue {
		if n, ok := elem.(*types.Named); ok && !hasMethod(n, "UnmarshalText") && !hasMethod(n, "UnmarshalJSON") {
			for _, k := range s.enum(n) {
				_, goLit := constLiterals(k.Val())
				c.EnumGo = append(c.EnumGo, goLit)
			}
		}
	}
	return fc
}

// bounds reports a lower bound above its upper bound, or not below it
// when either is exclusive: no value could satisfy both.
func (s *schemas) bounds(c *model.Constraints, bad func(string, ...any)) {
	type bound struct {
		name, v   string
		exclusive bool
	}
	check := func(lo, hi bound) {
		if lo.v == "" || hi.v == "" {
			return
		}
		l, _ := strconv.ParseFloat(lo.v, 64)
		h, _ := strconv.ParseFloat(hi.v, 64)
		switch {
		case l > h:
			bad("%s %s is above %s %s", lo.name, lo.v, hi.name, hi.v)
		case l == h && (lo.exclusive || hi.exclusive):
			bad("%s %s and %s %s leave no value", lo.name, lo.v, hi.name, hi.v)
		}
	}
	for _, lo := range []bound{{"minimum", c.Minimum, false}, {"exclusiveMinimum", c.ExclusiveMinimum, true}} {
		for _, hi := range []bound{{"maximum", c.Maximum, false}, {"exclusiveMaximum", c.ExclusiveMaximum, true}} {
			check(lo, hi)
		}
	}
	check(bound{"minLength", c.MinLength, false}, bound{"maxLength", c.MaxLength, false})
	check(bound{"minItems", c.MinItems, false}, bound{"maxItems", c.MaxItems, false})
}

func isByteSlice(t types.Type) bool {
	s, ok := t.Underlying().(*types.Slice)
	if !ok {
		return false
	}
	b, ok := s.Elem().Underlying().(*types.Basic)
	return ok && b.Kind() == types.Byte
}

// valueKind is what a constraint compares for a value of type t.
func valueKind(t types.Type) model.ValueKind {
	if hasMethod(t, "UnmarshalText") || hasMethod(t, "UnmarshalJSON") {
		return model.OtherValue
	}
	b, ok := t.Underlying().(*types.Basic)
	switch {
	case !ok:
		return model.OtherValue
	case b.Info()&types.IsString != 0:
		return model.StringValue
	case b.Info()&types.IsUnsigned != 0:
		return model.UintValue
	case b.Info()&types.IsInteger != 0:
		return model.IntValue
	case b.Info()&types.IsFloat != 0:
		return model.FloatValue
	}
	return model.OtherValue
}

// numberWhy says why v is not a value of the number type t, or "".
func numberWhy(v string, kind model.ValueKind, t types.Type) string {
	bits := 64
	if b, ok := t.Underlying().(*types.Basic); ok {
		switch b.Kind() {
		case types.Int8, types.Uint8:
			bits = 8
		case types.Int16, types.Uint16:
			bits = 16
		case types.Int32, types.Uint32, types.Float32:
			bits = 32
		}
	}
	var err error
	if !json.Valid([]byte(v)) {
		return "is not a JSON number"
	}
	switch kind {
	case model.IntValue:
		_, err = strconv.ParseInt(v, 10, bits)
	case model.UintValue:
		_, err = strconv.ParseUint(v, 10, bits)
	case model.FloatValue:
		var x float64
		x, err = strconv.ParseFloat(v, bits)
		if err == nil && (math.IsInf(x, 0) || math.IsNaN(x)) || strings.ContainsAny(v, "xXpP_") {
			return "must be a finite decimal number"
		}
	}
	if err != nil {
		return "is not a value of " + types.TypeString(t, nil)
	}
	return ""
}

func isCount(v string) bool {
	_, err := strconv.ParseUint(v, 10, 31)
	return err == nil && (v == "0" || v[0] != '0')
}

// exampleLiteral turns an example tag into a JSON literal: a string
// field's text is quoted, anything else must already be JSON.
func exampleLiteral(v string, kind model.ValueKind, slice bool) (string, string) {
	if kind == model.StringValue && !slice {
		b, _ := json.Marshal(v)
		return string(b), ""
	}
	if !json.Valid([]byte(v)) {
		return "", "is not JSON"
	}
	return v, ""
}
