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
		f := st.Field(i)
		fat := b.pos(f.Pos())
		key, source, n := bindingOf(st.Tag(i))
		tag := reflect.StructTag(st.Tag(i))
		switch {
		case !f.Exported():
			if n > 0 {
				b.diags.Addf(fat, "field %s of %s has a binding tag but is unexported, so it cannot be set", f.Name(), named.Obj().Name())
				ok = false
			}
			continue
		case n == 0:
			b.diags.Addf(fat, "field %s of input struct %s has no path, query, header, cookie or form tag, so nothing binds it", f.Name(), named.Obj().Name())
			ok = false
			continue
		case n > 1:
			b.diags.Addf(fat, "field %s of %s has conflicting binding tags (%s); give it one of path, query, header, cookie or form", f.Name(), named.Obj().Name(), tag)
			ok = false
			continue
		}
		name, opts, _ := strings.Cut(key, ",")
		if name == "" {
			name = f.Name()
		}
		field := model.Field{Name: f.Name(), Source: source, Key: name}
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "":
			case "required":
				field.Required = true
			default:
				b.diags.Addf(fat, "field %s of %s: unknown tag option %q (known: required)", f.Name(), named.Obj().Name(), o)
				ok = false
			}
		}
		what := source.String() + " " + strconv.Quote(name)
		seenKey := [2]string{source.String(), name}
		if source == model.FromHeader {
			seenKey[1] = strings.ToLower(name) // header names are case-insensitive
		}
		if prev, dup := seen[seenKey]; dup {
			b.diags.Addf(fat, "fields %s and %s of %s both bind %s", prev, f.Name(), named.Obj().Name(), what)
			ok = false
		}
		seen[seenKey] = f.Name()
		inPattern := false
		if source == model.FromPath {
			_, inPattern = b.params.bind(name) // if undecodable, reported below, not again as unbound
		}
		s, why := scalar(f.Type(), source != model.FromPath, source == model.FromForm)
		if why != "" {
			b.diags.Addf(fat, "field %s of %s has type %s, which cannot be decoded from a %s: %s", f.Name(), named.Obj().Name(), types.TypeString(f.Type(), b.qualifier), source.String(), why)
			ok = false
			continue
		}
		field.Value = s
		if source == model.FromPath {
			if !inPattern {
				b.diags.Addf(fat, "field %s of %s has path:%q, but pattern %q of %s has no :%s", f.Name(), named.Obj().Name(), name, b.pat.Raw, b.fn.Name(), name)
				ok = false
				continue
			}
		}
		if source == model.FromForm {
			in.Form = true
		}
		if def, has := tag.Lookup("default"); has {
			field.Default, field.HasDef = def, true
			if why := badDefault(s, def, field.Required, source); why != "" {
				b.diags.Addf(fat, "field %s of %s: default %q %s", f.Name(), named.Obj().Name(), def, why)
				ok = false
			}
		}
		in.Fields = append(in.Fields, field)
	}
	return in, true, ok
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
