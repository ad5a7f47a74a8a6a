package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kommandkit/kk/internal/model"
)

// wrapper emits the kk.Handler for one route: decode each path parameter,
// call the handler, write its result.
//
//	// kkGetUser serves GET /users/:id with GetUser.
//	func kkGetUser(c *kk.Ctx) error {
//		id, err := kk.ParseInt("id", c.RawParam(0), 64)
//		if err != nil {
//			return err
//		}
//		res, err := GetUser(c, id)
//		if err != nil {
//			return err
//		}
//		return kk.JSON(c, res)
//	}
func wrapper(f *jen.File, n *names, r model.Route, name string) {
	locals := n.args(r)
	c, errv, res := jen.Id(n.ctx), jen.Id(n.err), jen.Id(n.res)
	f.Commentf("%s serves %s %s with %s.", name, r.Method, r.Pattern.Raw, r.Func)
	f.Func().Id(name).Params(jen.Id(n.ctx).Op("*").Qual(rt, "Ctx")).Error().BlockFunc(func(g *jen.Group) {
		var args []jen.Code
		if r.Ctx != model.NoCtx {
			args = append(args, c.Clone())
		}
		for i, a := range r.Args {
			args = append(args, decode(g, n, a, locals[i]))
		}
		call := jen.Id(r.Func).Call(args...)
		switch r.Result {
		case model.NoResult:
			g.Add(call)
			g.Return(jen.Qual(rt, "NoContent").Call(c.Clone()))
		case model.ErrOnly:
			g.If(errv.Clone().Op(":=").Add(call), errv.Clone().Op("!=").Nil()).Block(jen.Return(errv.Clone()))
			g.Return(jen.Qual(rt, "NoContent").Call(c.Clone()))
		case model.Value:
			g.Add(res.Clone()).Op(":=").Add(call)
			g.Return(encode(n, r.Encoding))
		case model.ValueErr:
			g.List(res.Clone(), errv.Clone()).Op(":=").Add(call)
			g.If(errv.Clone().Op("!=").Nil()).Block(jen.Return(errv.Clone()))
			g.Return(encode(n, r.Encoding))
		}
	})
}

func encode(n *names, e model.Encoding) jen.Code {
	fn := map[model.Encoding]string{model.EncodeJSON: "JSON", model.EncodeText: "Text", model.EncodeBytes: "Bytes"}[e]
	return jen.Qual(rt, fn).Call(jen.Id(n.ctx), jen.Id(n.res))
}

// decode emits the statements that decode a into the local v and returns
// the expression passed to the handler.
func decode(g *jen.Group, n *names, a model.Arg, v string) jen.Code {
	pkg := n.pkg
	raw := jen.Id(n.ctx).Dot("RawParam").Call(jen.Lit(a.Index))
	errv := jen.Id(n.err)
	conv := func(x jen.Code) jen.Code {
		if !a.Convert {
			return x
		}
		return typeCode(a.Type).Call(x)
	}
	parse := func(fn string, extra ...jen.Code) jen.Code {
		args := append([]jen.Code{jen.Lit(a.Name), raw}, extra...)
		g.List(jen.Id(v), errv.Clone()).Op(":=").Qual(rt, fn).Call(args...)
		g.If(errv.Clone().Op("!=").Nil()).Block(jen.Return(errv.Clone()))
		return conv(jen.Id(v))
	}
	switch a.Decoder {
	case model.DecodeString:
		if a.Convert {
			g.Id(v).Op(":=").Add(typeCode(a.Type)).Call(raw)
		} else {
			g.Id(v).Op(":=").String().Call(raw)
		}
	case model.DecodeBytes:
		g.Id(v).Op(":=").Add(conv(raw))
	case model.DecodeInt:
		return parse("ParseInt", jen.Lit(a.Bits))
	case model.DecodeUint:
		return parse("ParseUint", jen.Lit(a.Bits))
	case model.DecodeFloat:
		return parse("ParseFloat", jen.Lit(a.Bits))
	case model.DecodeBool:
		return parse("ParseBool")
	case model.DecodeText:
		g.Var().Id(v).Add(typeCode(a.Type))
		g.If(
			errv.Clone().Op(":=").Id(v).Dot("UnmarshalText").Call(raw),
			errv.Clone().Op("!=").Nil(),
		).Block(jen.Return(jen.Qual(rt, "BadParam").Call(jen.Lit(a.Name), raw, jen.Lit(typeName(pkg, a.Type)), errv.Clone())))
	}
	return jen.Id(v)
}

func typeCode(t model.Type) *jen.Statement {
	if t.Path == "" {
		return jen.Id(t.Name)
	}
	return jen.Qual(t.Path, t.Name)
}

// typeName is t as written in pkg, for error messages.
func typeName(pkg *model.Package, t model.Type) string {
	if t.PkgName == "" || t.Path == pkg.Path {
		return t.Name
	}
	return t.PkgName + "." + t.Name
}

// statusOf emits the //kk:error mapping as one switch, sentinels first:
//
//	func kkStatusOf(err error) int {
//		switch {
//		case errors.Is(err, ErrNotFound):
//			return 404
//		case errors.As(err, new(*ValidationError)):
//			return 422
//		}
//		return 0
//	}
func statusOf(f *jen.File, pkg *model.Package, n *names) {
	if len(pkg.Errors) == 0 {
		return
	}
	errv := jen.Id(n.err)
	f.Comment("kkStatusOf maps errors annotated with //kk:error to their status, or")
	f.Comment("returns 0 so the runtime tries the error's StatusCode method, then 500.")
	f.Func().Id("kkStatusOf").Params(errv.Clone().Error()).Int().Block(
		jen.Switch().BlockFunc(func(g *jen.Group) {
			for _, e := range pkg.Errors {
				if e.Var != "" {
					g.Case(jen.Qual("errors", "Is").Call(errv.Clone(), jen.Id(e.Var))).Block(jen.Return(jen.Lit(e.Status)))
				}
			}
			for _, e := range pkg.Errors {
				if e.Var != "" {
					continue
				}
				var targets []jen.Code
				if e.Value {
					targets = append(targets, jen.Qual("errors", "As").Call(errv.Clone(), jen.New(typeCode(e.Type))))
				}
				if e.Ptr {
					targets = append(targets, jen.Qual("errors", "As").Call(errv.Clone(), jen.New(jen.Op("*").Add(typeCode(e.Type)))))
				}
				g.Case(targets...).Block(jen.Return(jen.Lit(e.Status)))
			}
		}),
		jen.Return(jen.Lit(0)),
	)
}
