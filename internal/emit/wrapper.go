package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kommandkit/kk/internal/model"
)

// wrapper emits the kk.Handler for one route: bind each argument, call
// the handler, write its result.
//
//	// kkGetUser serves GET /users/:id with GetUser.
//	func kkGetUser(c *kk.Ctx) error {
//		id, err := kk.ParseInt(kk.InPath, "id", kk.ParamAt(c, 0), 64)
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
	if r.Kind == model.EventStreamRoute {
		eventStreamWrapper(f, n, r, name) // eventstream.go
		return
	}
	if r.Kind == model.WebSocketRoute {
		webSocketWrapper(f, n, r, name) // websocket.go
		return
	}
	locals := n.args(r)
	c, errv, res := jen.Id(n.ctx), jen.Id(n.err), jen.Id(n.res)
	f.Commentf("%s serves %s %s with %s.", name, r.Method, r.Pattern.Raw, r.ServedBy())
	handlerFunc(f, n, r, name, func(g *jen.Group) {
		var args []jen.Code
		if r.Ctx != model.NoCtx {
			args = append(args, c.Clone())
		}
		enums := enumList(g, n, r)
		for i, a := range r.Args {
			args = append(args, bindArg(g, n, a, locals[i]))
		}
		enumAnswer(g, n, enums)
		if r.Status != 0 {
			g.Add(c.Clone()).Dot("SetStatusCode").Call(jen.Lit(r.Status))
		}
		call := n.callee(r).Call(args...)
		switch r.Result {
		case model.NoResult:
			g.Add(call)
			g.Return(jen.Qual(rt, "NoContent").Call(c.Clone()))
		case model.ErrOnly:
			g.If(errv.Clone().Op(":=").Add(call), errv.Clone().Op("!=").Nil()).Block(jen.Return(errv.Clone()))
			g.Return(jen.Qual(rt, "NoContent").Call(c.Clone()))
		case model.Value:
			g.Add(res.Clone()).Op(":=").Add(call)
			g.Return(encode(n, r))
		case model.ValueErr:
			g.List(res.Clone(), errv.Clone()).Op(":=").Add(call)
			g.If(errv.Clone().Op("!=").Nil()).Block(jen.Return(errv.Clone()))
			g.Return(encode(n, r))
		}
	})
}

// handlerFunc declares the wrapper name with body. A func's wrapper is the
// kk.Handler itself:
//
//	func kkGetUser(c *kk.Ctx) error { ... }
//
// A method's wrapper takes the receiver and returns the kk.Handler, a
// closure NewRouter builds once, so a request allocates nothing for it:
//
//	func kkUsersGet(users *Users) kk.Handler {
//		return func(c *kk.Ctx) error { ... users.Get(c, id) ... }
//	}
func handlerFunc(f *jen.File, n *names, r model.Route, name string, body func(*jen.Group)) {
	h := jen.Func()
	if r.Recv == "" {
		h = h.Id(name)
	}
	h = h.Params(jen.Id(n.ctx).Op("*").Qual(rt, "Ctx")).Error().BlockFunc(body)
	if r.Recv == "" {
		f.Add(h)
		return
	}
	f.Func().Id(name).Params(jen.Id(n.recvs[r.Recv]).Add(n.recvType(r.Recv))).Qual(rt, "Handler").Block(jen.Return(h))
}

func encode(n *names, r model.Route) jen.Code {
	fn := map[model.Encoding]string{model.EncodeJSON: "JSON", model.EncodeText: "Text", model.EncodeBytes: "Bytes", model.EncodeStream: "Stream"}[r.Encoding]
	if r.Response {
		fn = "Respond"
	}
	return jen.Qual(rt, fn).Call(jen.Id(n.ctx), jen.Id(n.res))
}

// bindArg emits the statements that bind a into the local v and returns
// the expression passed to the handler.
func bindArg(g *jen.Group, n *names, a model.Arg, v string) jen.Code {
	c, errv := jen.Id(n.ctx), jen.Id(n.err)
	returnErr := func(call jen.Code) {
		g.If(errv.Clone().Op(":=").Add(call), errv.Clone().Op("!=").Nil()).Block(jen.Return(errv.Clone()))
	}
	switch a.Source {
	case model.FromPath:
		// Path parameters are always present: decode straight into v.
		raw := jen.Qual(rt, "ParamAt").Call(c.Clone(), jen.Lit(a.Index))
		val := scalarValue(g, n, a.Value, model.FromPath, a.Key, raw, v)
		if a.Value.Decoder == model.DecodeString || a.Value.Decoder == model.DecodeBytes {
			g.Id(v).Op(":=").Add(val)
			argEnum(g, n, a, jen.Id(v)) // constraints.go
			return jen.Id(v)
		}
		argEnum(g, n, a, jen.Add(val))
		return val
	case model.FromJSON:
		g.Var().Id(v).Add(typeExpr(a.Full))
		returnErr(jen.Qual(rt, "DecodeJSON").Call(c.Clone(), jen.Op("&").Id(v)))
		if a.Checks != nil { // declared constraints (constraints.go)
			checkBody(g, n, a, v)
		}
	case model.FromStruct:
		g.Var().Id(v).Add(typeCode(a.Struct.Type))
		returnErr(jen.Id(n.binders[a.Struct.Type]).Call(c.Clone(), jen.Op("&").Id(v)))
	case model.FromRawBody:
		body := c.Clone().Dot("PostBody").Call()
		if a.Value.Convert {
			body = typeCode(a.Value.Type).Call(body)
		}
		g.Id(v).Op(":=").Add(body)
	case model.FromReader:
		g.Id(v).Op(":=").Qual(rt, "BodyReader").Call(c.Clone())
	default:
		g.Var().Id(v).Add(typeExpr(a.Full))
		bindValue(g, n, a.Value, a.Source, a.Key, jen.Id(v), nil)
		argEnum(g, n, a, jen.Id(v)) // constraints.go
	}
	if a.Validate {
		// kk.Invalid is nil for a nil error and for an empty kk.FieldErrors.
		check := jen.If(errv.Clone().Op(":=").Qual(rt, "Invalid").Call(jen.Id(v).Dot("Validate").Call()), errv.Clone().Op("!=").Nil()).Block(
			jen.Return(errv.Clone()))
		if a.Full.Kind == model.PointerType {
			g.If(jen.Id(v).Op("!=").Nil()).Block(check) // a JSON null body
		} else {
			g.Add(check)
		}
	}
	return jen.Id(v)
}

// bindValue emits the binding of one query, header, cookie, form or path
// value into target (an assignable expression), leaving it unchanged when
// absent unless orElse (the default or the required check) says otherwise:
//
//	if raw := kk.InputValue(c, kk.InQuery, "limit"); len(raw) > 0 {
//		x, err := kk.ParseInt(kk.InQuery, "limit", raw, 0)
//		if err != nil {
//			return err
//		}
//		limit = int(x)
//	}
func bindValue(g *jen.Group, n *names, s model.Scalar, src model.Source, key string, target *jen.Statement, orElse func(*jen.Group)) {
	c := jen.Id(n.ctx)
	in := jen.Qual(rt, src.In())
	switch {
	case s.File && s.Slice:
		g.Add(target.Clone()).Op("=").Qual(rt, "FormFiles").Call(c.Clone(), jen.Lit(key))
		if orElse != nil {
			g.If(jen.Len(target.Clone()).Op("==").Lit(0)).BlockFunc(orElse)
		}
	case s.File:
		g.Add(target.Clone()).Op("=").Qual(rt, "FormFile").Call(c.Clone(), jen.Lit(key))
		if orElse != nil {
			g.If(target.Clone().Op("==").Nil()).BlockFunc(orElse)
		}
	case s.Slice:
		g.For(jen.List(jen.Id("_"), jen.Id(n.raw)).Op(":=").Range().Qual(rt, "InputValues").Call(c.Clone(), in, jen.Lit(key))).BlockFunc(func(lg *jen.Group) {
			lg.If(jen.Len(jen.Id(n.raw)).Op("==").Lit(0)).Block(jen.Continue())
			val := scalarValue(lg, n, s, src, key, jen.Id(n.raw), n.x)
			lg.Add(target.Clone()).Op("=").Append(target.Clone(), val)
		})
		if orElse != nil {
			g.If(jen.Len(target.Clone()).Op("==").Lit(0)).BlockFunc(orElse)
		}
	default:
		st := g.If(jen.Id(n.raw).Op(":=").Qual(rt, "InputValue").Call(c.Clone(), in, jen.Lit(key)), jen.Len(jen.Id(n.raw)).Op(">").Lit(0)).BlockFunc(func(bg *jen.Group) {
			val := scalarValue(bg, n, s, src, key, jen.Id(n.raw), n.x)
			if s.Ptr {
				pointTo(bg, n, s, target, val)
				return
			}
			bg.Add(target.Clone()).Op("=").Add(val)
		})
		if orElse != nil {
			st.Else().BlockFunc(orElse)
		}
	}
}

// pointTo sets the pointer target to the address of val: directly when
// val is the decoded local itself, else through a local p of its own:
//
//	p := int(x)
//	limit = &p
func pointTo(g *jen.Group, n *names, s model.Scalar, target *jen.Statement, val jen.Code) {
	if s.Convert || s.Decoder == model.DecodeString {
		g.Id(n.p).Op(":=").Add(val)
		val = jen.Id(n.p)
	}
	g.Add(target.Clone()).Op("=").Op("&").Add(val)
}

// scalarValue emits the decoding of raw as s and returns the expression of
// the decoded value; tmp names the local that holds it when one is needed.
func scalarValue(g *jen.Group, n *names, s model.Scalar, src model.Source, key string, raw jen.Code, tmp string) jen.Code {
	errv := jen.Id(n.err)
	in := jen.Qual(rt, src.In())
	conv := func(x jen.Code) jen.Code {
		if !s.Convert {
			return x
		}
		return typeCode(s.Type).Call(x)
	}
	parse := func(fn string, extra ...jen.Code) jen.Code {
		args := append([]jen.Code{in, jen.Lit(key), raw}, extra...)
		g.List(jen.Id(tmp), errv.Clone()).Op(":=").Qual(rt, fn).Call(args...)
		g.If(errv.Clone().Op("!=").Nil()).Block(jen.Return(errv.Clone()))
		return conv(jen.Id(tmp))
	}
	switch s.Decoder {
	case model.DecodeString:
		if s.Convert {
			return typeCode(s.Type).Call(raw)
		}
		return jen.String().Call(raw)
	case model.DecodeBytes:
		return conv(raw)
	case model.DecodeInt:
		return parse("ParseInt", jen.Lit(s.Bits))
	case model.DecodeUint:
		return parse("ParseUint", jen.Lit(s.Bits))
	case model.DecodeFloat:
		return parse("ParseFloat", jen.Lit(s.Bits))
	case model.DecodeBool:
		return parse("ParseBool")
	case model.DecodeDuration:
		return parse("ParseDuration")
	case model.DecodeTime:
		return parse("ParseTime")
	}
	// DecodeText
	g.Var().Id(tmp).Add(typeCode(s.Type))
	g.If(
		errv.Clone().Op(":=").Id(tmp).Dot("UnmarshalText").Call(raw),
		errv.Clone().Op("!=").Nil(),
	).Block(jen.Return(jen.Qual(rt, "BadParam").Call(in, jen.Lit(key), raw, jen.Lit(typeName(n.pkg, s.Type)), errv.Clone())))
	return jen.Id(tmp)
}

func typeCode(t model.Type) *jen.Statement {
	if t.Path == "" {
		return jen.Id(t.Name)
	}
	return jen.Qual(t.Path, t.Name)
}

// typeExpr writes a declared type: T, *T, []T, [N]T, map[K]V.
func typeExpr(t model.TypeExpr) *jen.Statement {
	switch t.Kind {
	case model.PointerType:
		return jen.Op("*").Add(typeExpr(*t.Elem))
	case model.SliceType:
		return jen.Index().Add(typeExpr(*t.Elem))
	case model.ArrayType:
		return jen.Index(jen.Lit(int(t.Len))).Add(typeExpr(*t.Elem))
	case model.MapType:
		return jen.Map(typeExpr(*t.Key)).Add(typeExpr(*t.Elem))
	}
	return typeCode(t.Type)
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
