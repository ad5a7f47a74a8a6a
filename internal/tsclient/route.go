package tsclient

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/pattern"
	"github.com/kommandkit/kk/templates"
)

// reserved are the words a parameter may not be named in strict
// TypeScript, and the names a method's body uses; a handler parameter of
// one of them gets "Arg" added.
var reserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`break case catch class const continue debugger default delete do else enum export extends
		false finally for function if import in instanceof new null return super switch this throw true try typeof var void
		while with implements interface let package private protected public static yield await arguments eval
		rq opts x Call`) {
		reserved[w] = true
	}
}

func param(name string) string {
	if reserved[name] {
		return name + "Arg"
	}
	return name
}

// groups are the Client (its func handlers' methods) and one class per
// receiver type, and the Client's fields that hold those.
func (g *gen) groups() (groups, fields []templates.TSGroup) {
	root := templates.TSGroup{Class: "Client"}
	byRecv := map[string]*templates.TSGroup{}
	var recvs []string
	for i, r := range g.m.Routes {
		if r.Static != nil {
			continue
		}
		grp := &root
		if r.Recv != "" {
			if byRecv[r.Recv] == nil {
				f := model.LowerCamel(r.Recv)
				byRecv[r.Recv] = &templates.TSGroup{Recv: r.Recv, Field: f, Name: f, Class: r.Recv + "Client"}
				recvs = append(recvs, r.Recv)
			}
			grp = byRecv[r.Recv]
		}
		grp.Methods = append(grp.Methods, g.method(r, g.api.Routes[i]))
	}
	slices.Sort(recvs)
	groups = []templates.TSGroup{root}
	for _, r := range recvs {
		groups = append(groups, *byRecv[r])
		fields = append(fields, *byRecv[r])
	}
	return groups, fields
}

// method writes one route's method:
//
//	async get(id: ItemID, opts?: CallOptions): Promise<Item> {
//	  const rq = new Call("GET", opts);
//	  rq.path = "/items/" + rq.param("id", text(id));
//	  return this.t.json<Item>(rq);
//	}
func (g *gen) method(r model.Route, ar model.APIRoute) templates.TSMethod {
	var params, body []string
	body = append(body, fmt.Sprintf("const rq = new Call(%q, opts);", r.Method))
	pathOf := map[string]string{}
	var rest []string
	for i, a := range r.Args {
		v := param(a.Name)
		switch a.Source {
		case model.FromWebSocket, model.FromEventStream:
			continue
		case model.FromRawBody:
			params = append(params, v+": Uint8Array")
			rest = append(rest, fmt.Sprintf("rq.bytes(%s);", v))
			continue
		case model.FromReader:
			params = append(params, v+": ReadableStream<Uint8Array> | Blob | Uint8Array | string")
			rest = append(rest, fmt.Sprintf("rq.streamBody(%s);", v))
			continue
		case model.FromJSON:
			params = append(params, v+": "+g.ts(ar.Params[i]))
			rest = append(rest, fmt.Sprintf("rq.json(%s);", v))
			continue
		case model.FromStruct:
			params = append(params, v+": "+g.ts(ar.Params[i]))
			td := g.decls[a.Struct.Type]
			for _, f := range a.Struct.Fields {
				fv := v + "." + g.jsonName(td, f.Name)
				if f.Source == model.FromPath {
					pathOf[f.Key] = g.text(f.Value, fv)
					continue
				}
				rest = append(rest, g.add(r, f.Source, f.Key, f.Value, fv, true))
			}
			continue
		}
		params = append(params, v+": "+g.paramType(a.Value, ar.Params[i]))
		if a.Source == model.FromPath {
			pathOf[a.Key] = g.text(a.Value, v)
			continue
		}
		rest = append(rest, g.add(r, a.Source, a.Key, a.Value, v, false))
	}
	body = append(body, "rq.path = "+tsPath(r.Pattern, pathOf)+";")
	body = append(body, rest...)
	params = append(params, "opts?: CallOptions")

	name := model.LowerCamel(r.Func)
	head := "async " + name + "(" + strings.Join(params, ", ") + "): "
	switch {
	case r.Kind == model.WebSocketRoute:
		head += "Promise<Socket>"
		body = append(body, "return this.t.dial(rq);")
	case r.Kind == model.EventStreamRoute:
		head = name + "(" + strings.Join(params, ", ") + "): AsyncGenerator<ServerSentEvent, void, undefined>"
		body = append(body, "return this.t.events(rq);")
	case r.Result == model.NoResult || r.Result == model.ErrOnly:
		head += "Promise<void>"
		body = append(body, "return this.t.none(rq);")
	case r.Encoding == model.EncodeText:
		head += "Promise<string>"
		body = append(body, "return this.t.text(rq);")
	case r.Encoding == model.EncodeBytes:
		head += "Promise<Uint8Array>"
		body = append(body, "return this.t.bytes(rq);")
	case r.Encoding == model.EncodeStream:
		head += "Promise<ReadableStream<Uint8Array>>"
		body = append(body, "return this.t.stream(rq);")
	default:
		t := g.ts(*ar.Result)
		head += "Promise<" + t + ">"
		body = append(body, "return this.t.json<"+t+">(rq);")
	}
	doc := []string{fmt.Sprintf("%s calls %s %s.", name, r.Method, strings.ReplaceAll(r.Pattern.Raw, "*/", "*\\/"))}
	if ar.Doc != "" {
		doc = append(doc, "")
		for _, l := range lines(ar.Doc) {
			doc = append(doc, strings.ReplaceAll(l, "*/", "*\\/"))
		}
	}
	return templates.TSMethod{Doc: doc, Head: head, Body: body}
}

// jsonName is the member of an input struct's interface for a Go field.
func (g *gen) jsonName(td model.TypeDecl, goName string) string {
	for _, f := range td.Underlying.Fields {
		if f.Name == goName {
			if m := member(f.JSON); m != f.JSON {
				return "[" + m + "]"
			}
			return f.JSON
		}
	}
	return goName
}

// paramType is the type of a path, query, header or cookie parameter:
// times may be Dates, durations nanoseconds or Go's text, a pointer may be
// undefined.
func (g *gen) paramType(s model.Scalar, shape model.Shape) string {
	var t string
	switch s.Decoder {
	case model.DecodeTime:
		t = "Date | string"
	case model.DecodeDuration:
		t = "number | string"
	default:
		if shape.Kind == model.PointerShape || shape.Kind == model.SliceShape {
			shape = *shape.Elem
		}
		t = g.ts(shape)
		if shape.Kind == model.SliceShape || s.Decoder == model.DecodeBytes {
			t = "string"
		}
	}
	switch {
	case s.Slice:
		return elem(t) + "[]"
	case s.Ptr:
		return t + " | undefined"
	}
	return t
}

// text is the expression of one value's text.
func (g *gen) text(s model.Scalar, v string) string {
	if s.Decoder == model.DecodeDuration {
		return "rq.duration(" + v + ")"
	}
	return "rq.text(" + v + ")"
}

// add is the statement adding a value (each of an array's; one that may be
// undefined only when it is not) to the query, a header, a cookie or the
// form.
func (g *gen) add(r model.Route, src model.Source, key string, s model.Scalar, v string, optional bool) string {
	put := func(text string) string {
		switch src {
		case model.FromHeader:
			return fmt.Sprintf("rq.headers.append(%q, %s);", key, text)
		case model.FromCookie:
			return fmt.Sprintf("rq.cookie(%q, %s);", key, text)
		case model.FromForm:
			return fmt.Sprintf("rq.formValue(%q, %s);", key, text)
		}
		return fmt.Sprintf("rq.query.append(%q, %s);", key, text)
	}
	if s.File {
		g.diags.Addf(r.Pos, "the TypeScript client cannot send the file %s of %s: multipart uploads are not supported", key, model.FuncName(r.Recv, r.Func))
		return ""
	}
	switch {
	case s.Slice:
		return fmt.Sprintf("for (const x of %s ?? []) %s", v, put(g.text(s, "x")))
	case s.Ptr || optional:
		return fmt.Sprintf("if (%s !== undefined && %s !== null) %s", v, v, put(g.text(s, v)))
	}
	return put(g.text(s, v))
}

// tsPath is the expression of the request path.
func tsPath(p pattern.Pattern, text map[string]string) string {
	var parts []string
	lit := ""
	for _, s := range p.Segments {
		lit += "/"
		switch s.Kind {
		case pattern.Static:
			lit += pathEscape(s.Text)
			continue
		case pattern.Param:
			parts = append(parts, fmt.Sprintf("%q", lit), fmt.Sprintf("rq.param(%q, %s)", s.Text, text[s.Text]))
		case pattern.CatchAll:
			parts = append(parts, fmt.Sprintf("%q", lit), fmt.Sprintf("rq.rest(%q, %s)", s.Text, text[s.Text]))
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
		parts = append(parts, fmt.Sprintf("%q", lit))
	}
	return strings.Join(parts, " + ")
}

// pathEscape escapes a static segment as Go's url package does.
func pathEscape(s string) string {
	return (&url.URL{Path: s}).EscapedPath()
}
