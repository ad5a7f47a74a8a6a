package emit

import (
	"strconv"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/kommandkit/kk/internal/model"
)

// binders emits one function per input struct type, shared by every route
// that takes it:
//
//	// kkBindListParams binds the fields of ListParams from the request.
//	func kkBindListParams(c *kk.Ctx, v *ListParams) error {
//		if raw := kk.InputValue(c, kk.InQuery, "limit"); len(raw) > 0 {
//			...
//			v.Limit = int(x)
//		} else {
//			v.Limit = 20
//		}
//		return nil
//	}
func binders(f *jen.File, n *names) {
	for _, in := range n.inputs {
		binder(f, n, in)
	}
}

func binder(f *jen.File, n *names, in *model.Input) {
	name := n.binders[in.Type]
	v := jen.Id(n.v)
	f.Commentf("%s binds the fields of %s from the request.", name, typeName(n.pkg, in.Type))
	f.Func().Id(name).Params(jen.Id(n.ctx).Op("*").Qual(rt, "Ctx"), v.Clone().Op("*").Add(typeCode(in.Type))).Error().BlockFunc(func(g *jen.Group) {
		errv := jen.Id(n.err)
		if in.Form {
			g.If(errv.Clone().Op(":=").Qual(rt, "RequireForm").Call(jen.Id(n.ctx)), errv.Clone().Op("!=").Nil()).Block(jen.Return(errv.Clone()))
		}
		required := false
		for _, fl := range in.Fields {
			_, checked := inputChecked(fl) // constraints.go
			required = required || fl.Required || checked
		}
		if required {
			g.Var().Id(n.missing).Index().Qual(rt, "FieldError")
		}
		for _, fl := range in.Fields {
			target := v.Clone().Dot(fl.Name)
			var orElse func(*jen.Group)
			switch {
			case fl.Required:
				orElse = func(eg *jen.Group) {
					eg.Id(n.missing).Op("=").Append(jen.Id(n.missing), jen.Qual(rt, "FieldError").Values(
						jen.Id("Field").Op(":").Lit(fl.Key), jen.Id("In").Op(":").Lit(fl.Source.Tag())))
				}
			case fl.HasDef:
				orElse = func(eg *jen.Group) { defaultValue(eg, n, fl, target) }
			}
			bindValue(g, n, fl.Value, fl.Source, fl.Key, target, orElse)
		}
		inputChecks(g, n, in, n.missing)
		if required {
			g.If(jen.Len(jen.Id(n.missing)).Op(">").Lit(0)).Block(jen.Return(jen.Qual(rt, "Missing").Call(jen.Id(n.missing).Op("..."))))
		}
		g.Return(jen.Nil())
	})
}

// defaultValue assigns a field's default: a literal for numbers, bools and
// strings (checked when generating), UnmarshalText for other types.
func defaultValue(g *jen.Group, n *names, fl model.Field, target *jen.Statement) {
	s := fl.Value
	var lit jen.Code
	switch s.Decoder {
	case model.DecodeString:
		lit = jen.Lit(fl.Default)
	case model.DecodeBytes:
		lit = jen.Index().Byte().Call(jen.Lit(fl.Default))
	case model.DecodeBool:
		b, _ := strconv.ParseBool(fl.Default)
		lit = jen.Lit(b)
	case model.DecodeInt:
		v, _ := strconv.ParseInt(fl.Default, 10, 64)
		lit = jen.Op(strconv.FormatInt(v, 10))
	case model.DecodeUint:
		v, _ := strconv.ParseUint(fl.Default, 10, 64)
		lit = jen.Op(strconv.FormatUint(v, 10))
	case model.DecodeFloat:
		v, _ := strconv.ParseFloat(fl.Default, 64)
		lit = jen.Op(strconv.FormatFloat(v, 'g', -1, 64))
	case model.DecodeDuration:
		d, _ := time.ParseDuration(fl.Default)
		lit = durationLit(d)
	default: // DecodeText, DecodeTime
		if s.Ptr {
			g.Add(target.Clone()).Op("=").New(typeCode(s.Type))
		}
		errv := jen.Id(n.err)
		g.If(errv.Clone().Op(":=").Add(target.Clone()).Dot("UnmarshalText").Call(jen.Index().Byte().Call(jen.Lit(fl.Default))), errv.Clone().Op("!=").Nil()).Block(
			jen.Return(jen.Qual(rt, "BadParam").Call(jen.Qual(rt, fl.Source.In()), jen.Lit(fl.Key), jen.Index().Byte().Call(jen.Lit(fl.Default)), jen.Lit(typeName(n.pkg, s.Type)), errv.Clone())))
		return
	}
	if s.Ptr {
		// p := int(42); v.Limit = &p
		if s.Decoder != model.DecodeDuration { // durationLit is typed
			lit = typeCode(s.Type).Call(lit)
		}
		g.Id(n.p).Op(":=").Add(lit)
		g.Add(target.Clone()).Op("=").Op("&").Id(n.p)
		return
	}
	g.Add(target.Clone()).Op("=").Add(lit)
}

// durationLit writes d in the largest unit that divides it: 300 *
// time.Millisecond, 90 * time.Minute, 1500 * time.Nanosecond.
func durationLit(d time.Duration) jen.Code {
	for _, u := range []struct {
		name string
		d    time.Duration
	}{{"Hour", time.Hour}, {"Minute", time.Minute}, {"Second", time.Second}, {"Millisecond", time.Millisecond}, {"Microsecond", time.Microsecond}, {"Nanosecond", time.Nanosecond}} {
		if d != 0 && d%u.d == 0 {
			return jen.Lit(int(d/u.d)).Op("*").Qual("time", u.name)
		}
	}
	return jen.Qual("time", "Duration").Call(jen.Lit(int(d)))
}
