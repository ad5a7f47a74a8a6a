package client

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/pattern"
)

// bodyNames are the names a route method's body uses, and the packages it
// may name; a handler parameter of one of these names (or of the package
// of a type the API imports) is renamed.
var bodyNames = []string{"ctx", "c", "rq", "out", "err", "x", "strconv", "time", "io", "iter", "context"}

// localsOf is bodyNames and the names of the packages whose types the API uses.
func (g *gen) localsOf() map[string]bool {
	locals := map[string]bool{}
	for _, n := range bodyNames {
		locals[n] = true
	}
	for _, td := range g.api.Types {
		if !td.Local {
			locals[td.Type.PkgName] = true
		}
	}
	return locals
}

// routes emits one method per route, on the Client for a func handler and
// on the receiver's group for a method.
func (g *gen) routes(f *jen.File) {
	locals := g.localsOf()
	for i, r := range g.m.Routes {
		if r.Static == nil {
			g.route(f, r, g.api.Routes[i], locals)
		}
	}
}

// route emits, for //kk:route GET /users/:id on func GetUser(c *kk.Ctx,
// id int64, verbose *bool) (User, error):
//
//	// GetUser calls GET /users/:id.
//	func (c *Client) GetUser(ctx context.Context, id int64, verbose *bool) (User, error) {
//		rq := newRequest("GET")
//		rq.path = "/users/" + rq.param("id", strconv.FormatInt(id, 10))
//		if verbose != nil {
//			rq.query.Add("verbose", strconv.FormatBool(*verbose))
//		}
//		var out User
//		err := c.t.decodeJSON(ctx, rq, &out)
//		return out, err
//	}
func (g *gen) route(f *jen.File, r model.Route, ar model.APIRoute, locals map[string]bool) {
	recv := "Client"
	if r.Recv != "" {
		recv = r.Recv + "Client"
	}
	name := func(a model.Arg) string {
		if locals[a.Name] {
			return a.Name + "Arg"
		}
		return a.Name
	}
	params := []jen.Code{jen.Id("ctx").Qual("context", "Context")}
	body := []jen.Code{jen.Id("rq").Op(":=").Id("newRequest").Call(jen.Lit(r.Method))}
	pathOf := map[string]jen.Code{} // pattern parameter → its text
	var rest []jen.Code
	for i, a := range r.Args {
		v := jen.Id(name(a))
		switch a.Source {
		case model.FromWebSocket, model.FromEventStream:
			continue
		case model.FromRawBody:
			params = append(params, jen.Id(name(a)).Index().Byte())
			rest = append(rest, jen.Id("rq").Dot("bytes").Call(v))
			continue
		case model.FromReader:
			params = append(params, jen.Id(name(a)).Qual("io", "Reader"))
			rest = append(rest, jen.Id("rq").Dot("streamBody").Call(v))
			continue
		}
		params = append(params, jen.Id(name(a)).Add(g.shape(ar.Params[i])))
		switch a.Source {
		case model.FromJSON:
			rest = append(rest, jen.Id("rq").Dot("json").Call(v))
		case model.FromPath:
			pathOf[a.Key] = g.text(r, a.Value, v)
		case model.FromStruct:
			for _, fd := range a.Struct.Fields {
				fv := jen.Id(name(a)).Dot(fd.Name)
				if fd.Source == model.FromPath {
					pathOf[fd.Key] = g.text(r, fd.Value, fv)
					continue
				}
				add := g.add(r, fd.Source, fd.Key, fd.Value, fv)
				if fd.HasDef && !fd.Value.Slice {
					add = jen.If(jen.Op("!").Id("isZero").Call(jen.Id(name(a)).Dot(fd.Name))).Block(add)
				}
				rest = append(rest, add)
			}
		default:
			rest = append(rest, g.add(r, a.Source, a.Key, a.Value, v))
		}
	}
	body = append(body, jen.Id("rq").Dot("path").Op("=").Add(g.path(r.Pattern, pathOf)))
	body = append(body, rest...)
	results, ret := g.result(r, ar)
	body = append(body, ret...)

	doc := fmt.Sprintf("%s calls %s %s.", r.Func, r.Method, r.Pattern.Raw)
	if ar.Doc != "" {
		doc += "\n\n" + ar.Doc
	}
	comment(f, doc)
	f.Func().Params(jen.Id("c").Op("*").Id(recv)).Id(r.Func).Params(params...).Add(results).Block(body...)
}

// result writes a route's results and the statements that send the
// request and return them.
func (g *gen) result(r model.Route, ar model.APIRoute) (jen.Code, []jen.Code) {
	call := func(m string, args ...jen.Code) *jen.Statement {
		return jen.Id("c").Dot("t").Dot(m).Call(append([]jen.Code{jen.Id("ctx"), jen.Id("rq")}, args...)...)
	}
	switch {
	case r.Kind == model.WebSocketRoute:
		return jen.Params(jen.Op("*").Id("WebSocket"), jen.Error()), []jen.Code{jen.Return(call("dial"))}
	case r.Kind == model.EventStreamRoute:
		return jen.Qual("iter", "Seq2").Types(jen.Id("Event"), jen.Error()), []jen.Code{jen.Return(call("events"))}
	case r.Result == model.NoResult || r.Result == model.ErrOnly:
		return jen.Error(), []jen.Code{jen.Return(call("none"))}
	}
	switch r.Encoding {
	case model.EncodeText:
		return jen.Params(jen.String(), jen.Error()), []jen.Code{
			jen.List(jen.Id("out"), jen.Err()).Op(":=").Add(call("readAll")),
			jen.Return(jen.String().Call(jen.Id("out")), jen.Err()),
		}
	case model.EncodeBytes:
		return jen.Params(jen.Index().Byte(), jen.Error()), []jen.Code{jen.Return(call("readAll"))}
	case model.EncodeStream:
		return jen.Params(jen.Qual("io", "ReadCloser"), jen.Error()), []jen.Code{jen.Return(call("stream"))}
	}
	t := g.shape(*ar.Result)
	return jen.Params(t, jen.Error()), []jen.Code{
		jen.Var().Id("out").Add(t),
		jen.Err().Op(":=").Add(call("decodeJSON", jen.Op("&").Id("out"))),
		jen.Return(jen.Id("out"), jen.Err()),
	}
}

// path writes the request path: the pattern's static text, escaped, and
// each parameter's text escaped as a segment (a catch-all's as segments).
func (g *gen) path(p pattern.Pattern, text map[string]jen.Code) jen.Code {
	var parts []jen.Code
	lit := ""
	for _, s := range p.Segments {
		lit += "/"
		switch s.Kind {
		case pattern.Static:
			lit += (&url.URL{Path: s.Text}).EscapedPath()
			continue
		case pattern.Param:
			parts = append(parts, jen.Lit(lit), jen.Id("rq").Dot("param").Call(jen.Lit(s.Text), text[s.Text]))
		case pattern.CatchAll:
			parts = append(parts, jen.Lit(lit), jen.Id("rq").Dot("rest").Call(jen.Lit(s.Text), text[s.Text]))
		}
		lit = ""
	}
	if strings.HasSuffix(p.Raw, "/") && len(p.Segments) > 0 {
		lit += "/"
	}
	if lit != "" || len(parts) == 0 {
		if lit == "" {
			lit = "/"
		}
		parts = append(parts, jen.Lit(lit))
	}
	out := jen.Add(parts[0])
	for _, p := range parts[1:] {
		out = out.Op("+").Add(p)
	}
	return out
}

// add writes the statement that adds one value (each of a slice's, a
// pointer's when not nil) to the query, a header, a cookie or the form.
func (g *gen) add(r model.Route, src model.Source, key string, s model.Scalar, v jen.Code) jen.Code {
	put := func(text jen.Code) jen.Code {
		switch src {
		case model.FromHeader:
			return jen.Id("rq").Dot("header").Dot("Add").Call(jen.Lit(key), text)
		case model.FromCookie:
			return jen.Id("rq").Dot("cookie").Call(jen.Lit(key), text)
		case model.FromForm:
			return jen.Id("rq").Dot("formValue").Call(jen.Lit(key), text)
		}
		return jen.Id("rq").Dot("query").Dot("Add").Call(jen.Lit(key), text)
	}
	if s.File {
		g.diags.Addf(r.Pos, "the client cannot send the file %s of %s: multipart uploads are not supported", key, model.FuncName(r.Recv, r.Func))
		return jen.Null()
	}
	switch {
	case s.Slice:
		return jen.For(jen.List(jen.Id("_"), jen.Id("x")).Op(":=").Range().Add(v)).Block(put(g.text(r, s, jen.Id("x"))))
	case s.Ptr:
		return jen.If(jen.Add(v).Op("!=").Nil()).Block(put(g.deref(r, s, v)))
	}
	return put(g.text(r, s, v))
}

// deref is text for the value p points to.
func (g *gen) deref(r model.Route, s model.Scalar, p jen.Code) jen.Code {
	switch s.Decoder {
	case model.DecodeDuration, model.DecodeTime:
		return g.text(r, s, jen.Parens(jen.Op("*").Add(p)))
	case model.DecodeText:
		if td := g.decls[s.Type]; td.MarshalText {
			return jen.Id("rq").Dot("text").Call(p) // *T has T's methods too
		}
	}
	return g.text(r, s, jen.Op("*").Add(p))
}

// text writes the expression that is one value's text, as the server's
// decoder reads it.
func (g *gen) text(r model.Route, s model.Scalar, v jen.Code) jen.Code {
	switch s.Decoder {
	case model.DecodeDuration:
		return jen.Add(v).Dot("String").Call()
	case model.DecodeTime:
		return jen.Add(v).Dot("Format").Call(jen.Qual("time", "RFC3339Nano"))
	case model.DecodeBytes:
		return jen.String().Call(v)
	case model.DecodeText:
		td, ok := g.decls[s.Type]
		switch {
		case ok && td.MarshalText && td.TextPointer:
			return jen.Id("rq").Dot("text").Call(jen.Op("&").Add(v))
		case ok && td.MarshalText:
			return jen.Id("rq").Dot("text").Call(v)
		case ok && td.Underlying.Kind == model.BasicShape:
			return basicText(td.Underlying.Basic, s.Bits, v, false)
		}
		g.diags.Addf(r.Pos, "the client cannot write %s as text for %s: it has UnmarshalText but no MarshalText", s.Type.Name, model.FuncName(r.Recv, r.Func))
		return jen.Lit("")
	}
	basic := map[model.Decoder]string{model.DecodeString: "string", model.DecodeBool: "bool", model.DecodeInt: "int64", model.DecodeUint: "uint64", model.DecodeFloat: "float64"}[s.Decoder]
	if s.Decoder == model.DecodeFloat && s.Bits == 32 {
		basic = "float32"
	}
	exact := s.Type.Path == "" && s.Type.Name == basic
	return basicText(basic, s.Bits, v, exact)
}

// basicText formats v, whose underlying type is the basic type named,
// converting it first unless exact.
func basicText(basic string, bits int, v jen.Code, exact bool) jen.Code {
	conv := func(to string) jen.Code {
		if exact {
			return v
		}
		return jen.Id(to).Call(v)
	}
	switch basic {
	case "string":
		return conv("string")
	case "bool":
		return jen.Qual("strconv", "FormatBool").Call(conv("bool"))
	case "float32", "float64":
		if bits == 0 {
			bits = map[string]int{"float32": 32, "float64": 64}[basic]
		}
		return jen.Qual("strconv", "FormatFloat").Call(jen.Id("float64").Call(v), jen.LitRune('g'), jen.Lit(-1), jen.Lit(bits))
	case "uint", "uint8", "uint16", "uint32", "uint64", "byte", "uintptr":
		return jen.Qual("strconv", "FormatUint").Call(conv("uint64"), jen.Lit(10))
	}
	return jen.Qual("strconv", "FormatInt").Call(conv("int64"), jen.Lit(10))
}
