package check

import (
	"go/token"
	"go/types"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/kommandkit/kk/internal/model"
)

// input checks t as an input struct. isInput is false (and nothing is
// reported) when t is not a named struct with at least one binding tag.
func (b *binder) input(t types.Type, at token.Position) (in *model.Input, isInput, ok bool) {
	if !isInputStruct(t) {
		return nil, false, false
	}
	named := types.Unalias(t).(*types.Named)
	st := named.Underlying().(*types.Struct)
	in = &model.Input{Type: typeRef(t)}
	ok = true
	seen := map[[2]string]string{}
	for i := 0; i < st.NumFields(); i++ {
		fc := fieldCheck{binder: b, owner: named.Obj().Name(), f: st.Field(i), tag: st.Tag(i)}
		fc.at = b.pos(fc.f.Pos())
		field, bound, good := fc.check(seen)
		ok = ok && good
		if !bound {
			continue
		}
		in.Form = in.Form || field.Source == model.FromForm
		in.Fields = append(in.Fields, field)
	}
	return in, true, ok
}

// fieldCheck checks one field of an input struct, in the steps of check.
type fieldCheck struct {
	*binder
	owner string // the struct's name, for messages
	f     *types.Var
	tag   string
	at    token.Position
}

// check runs the steps in order: the binding tag, its key and options, the
// key's uniqueness, the field's type (and, for the path, its pattern
// parameter), then the default. bound says whether the field binds at all
// (an unexported field without a tag does not, silently); ok whether
// nothing was reported.
func (fc fieldCheck) check(seen map[[2]string]string) (field model.Field, bound, ok bool) {
	key, source, tagged, ok := fc.binding()
	if !tagged {
		return field, false, ok
	}
	field, ok = fc.options(key, source)
	ok = fc.unique(field, seen) && ok
	if !fc.value(&field) {
		return field, false, false
	}
	return field, true, fc.defaultValue(&field) && ok
}

// binding finds the field's one binding tag. tagged is false for a field
// that binds nothing: an unexported one without a tag (ok), or one that is
// reported (not ok).
func (fc fieldCheck) binding() (key string, source model.Source, tagged, ok bool) {
	key, source, n := bindingOf(fc.tag)
	switch {
	case !fc.f.Exported():
		if n > 0 {
			fc.diags.Addf(fc.at, "field %s of %s has a binding tag but is unexported, so it cannot be set", fc.f.Name(), fc.owner)
			return "", 0, false, false
		}
		return "", 0, false, true
	case n == 0:
		fc.diags.Addf(fc.at, "field %s of input struct %s has no path, query, header, cookie or form tag, so nothing binds it", fc.f.Name(), fc.owner)
		return "", 0, false, false
	case n > 1:
		fc.diags.Addf(fc.at, "field %s of %s has conflicting binding tags (%s); give it one of path, query, header, cookie or form", fc.f.Name(), fc.owner, fc.tag)
		return "", 0, false, false
	}
	return key, source, true, true
}

// options splits the tag's value into the key (the field's name when
// empty) and its options.
func (fc fieldCheck) options(key string, source model.Source) (model.Field, bool) {
	name, opts, _ := strings.Cut(key, ",")
	if name == "" {
		name = fc.f.Name()
	}
	field := model.Field{Name: fc.f.Name(), Source: source, Key: name}
	ok := true
	for _, o := range strings.Split(opts, ",") {
		switch o {
		case "":
		case "required":
			field.Required = true
		default:
			fc.diags.Addf(fc.at, "field %s of %s: unknown tag option %q (known: required)", fc.f.Name(), fc.owner, o)
			ok = false
		}
	}
	return field, ok
}

// unique reports a second field of the struct with the same source and key
// (header names compared without case). seen maps each to its first field.
func (fc fieldCheck) unique(field model.Field, seen map[[2]string]string) bool {
	seenKey := [2]string{field.Source.String(), field.Key}
	if field.Source == model.FromHeader {
		seenKey[1] = strings.ToLower(field.Key) // header names are case-insensitive
	}
	prev, dup := seen[seenKey]
	if dup {
		fc.diags.Addf(fc.at, "fields %s and %s of %s both bind %s %s", prev, fc.f.Name(), fc.owner, field.Source, strconv.Quote(field.Key))
		return false
	}
	seen[seenKey] = fc.f.Name()
	return true
}

// value checks that the field's type decodes from its source and, for a
// path field, that the route's pattern has its parameter.
func (fc fieldCheck) value(field *model.Field) bool {
	inPattern := false
	if field.Source == model.FromPath {
		_, inPattern = fc.params.bind(field.Key) // if undecodable, reported below, not again as unbound
	}
	s, why := scalar(fc.f.Type(), field.Source != model.FromPath, field.Source == model.FromForm)
	if why != "" {
		fc.diags.Addf(fc.at, "field %s of %s has type %s, which cannot be decoded from a %s: %s", fc.f.Name(), fc.owner, types.TypeString(fc.f.Type(), fc.qualifier), field.Source, why)
		return false
	}
	field.Value = s
	if field.Source == model.FromPath && !inPattern {
		fc.diags.Addf(fc.at, "field %s of %s has path:%q, but pattern %q of %s has no :%s", fc.f.Name(), fc.owner, field.Key, fc.pat.Raw, funcName(fc.fn), field.Key)
		return false
	}
	return true
}

// defaultValue reads and checks the field's default:"..." tag.
func (fc fieldCheck) defaultValue(field *model.Field) bool {
	def, has := reflect.StructTag(fc.tag).Lookup("default")
	if !has {
		return true
	}
	field.Default, field.HasDef = def, true
	if why := badDefault(field.Value, def, field.Required, field.Source); why != "" {
		fc.diags.Addf(fc.at, "field %s of %s: default %q %s", fc.f.Name(), fc.owner, def, why)
		return false
	}
	return true
}

// bindingOf finds the binding tag of a field: its value, source, and how
// many binding keys the tag has (more than one is a conflict).
func bindingOf(tag string) (string, model.Source, int) {
	st := reflect.StructTag(tag)
	var key string
	var src model.Source
	n := 0
	for _, s := range model.TagSources {
		if v, ok := st.Lookup(s.Tag()); ok {
			key, src = v, s
			n++
		}
	}
	return key, src, n
}

// badDefault says why def cannot be the default of a value decoded as s,
// or "". Values decoded by UnmarshalText are checked when used.
func badDefault(s model.Scalar, def string, required bool, source model.Source) string {
	switch {
	case required:
		return "makes no sense on a required field"
	case source == model.FromPath:
		return "makes no sense on a path parameter, which is always present"
	case s.Slice || s.File:
		return "is not supported on slices and files"
	}
	var err error
	switch s.Decoder {
	case model.DecodeInt:
		_, err = strconv.ParseInt(def, 10, bitsOr(s.Bits))
	case model.DecodeUint:
		_, err = strconv.ParseUint(def, 10, bitsOr(s.Bits))
	case model.DecodeFloat:
		var f float64
		f, err = strconv.ParseFloat(def, s.Bits)
		if err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
			return "must be a finite number"
		}
	case model.DecodeBool:
		_, err = strconv.ParseBool(def)
	case model.DecodeDuration:
		if _, err := time.ParseDuration(def); err != nil {
			return "is not a Go duration such as 300ms or 1h30m"
		}
	case model.DecodeTime:
		if err := new(time.Time).UnmarshalText([]byte(def)); err != nil {
			return "is not an RFC 3339 time such as 2006-01-02T15:04:05Z"
		}
	}
	if err != nil {
		return "does not decode: " + err.(*strconv.NumError).Err.Error()
	}
	return ""
}

func bitsOr(bits int) int {
	if bits == 0 {
		return strconv.IntSize
	}
	return bits
}

// isInputStruct reports whether t is a named struct with at least one
// binding tag.
func isInputStruct(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	st, ok := named.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := 0; i < st.NumFields(); i++ {
		if _, _, n := bindingOf(st.Tag(i)); n > 0 {
			return true
		}
	}
	return false
}
