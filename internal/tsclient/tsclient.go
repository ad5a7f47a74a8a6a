// Package tsclient writes the TypeScript client of a package's routes
// (kkgen -ts FILE): one dependency-free module on fetch, with an interface
// or alias per type the API reaches and one async method per route. The
// text is templates.TSClient; this package computes what goes in it.
package tsclient

import (
	"bytes"
	"fmt"
	"go/token"
	"slices"
	"strings"
	"unicode"

	"github.com/kommandkit/kk/internal/diag"
	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/templates"
)

// gen is the state of writing one module.
type gen struct {
	m      *model.Package
	api    *model.API
	decls  map[model.Type]model.TypeDecl
	names  map[model.Type]string // the TypeScript name of each declared type
	inputs map[model.Type]*model.Input
	diags  diag.List
	at     token.Position
}

// runtimeNames are what the module's runtime part declares.
var runtimeNames = []string{"Client", "ClientOptions", "CallOptions", "APIError", "FieldError", "ServerSentEvent", "CloseError",
	"Message", "Socket", "Call", "Transport", "idempotent", "retryable", "sleep", "errorOf", "readEvents"}

// Generate writes the TypeScript module of m's routes.
func Generate(m *model.Package, api *model.API, at token.Position) ([]byte, diag.List) {
	g := &gen{m: m, api: api, decls: map[model.Type]model.TypeDecl{}, names: map[model.Type]string{}, inputs: map[model.Type]*model.Input{}, at: at}
	for _, td := range api.Types {
		g.decls[td.Type] = td
	}
	for _, r := range m.Routes {
		for _, a := range r.Args {
			if a.Source == model.FromStruct {
				g.inputs[a.Struct.Type] = a.Struct
			}
		}
	}
	g.name()
	file := templates.TSFile{Source: m.Path, Types: g.types()}
	file.Groups, file.Fields = g.groups()
	if len(g.diags) > 0 {
		return nil, g.diags
	}
	var buf bytes.Buffer
	if err := templates.TSClient.Execute(&buf, file); err != nil {
		g.diags.Addf(at, "rendering the TypeScript client of %s: %v", m.Path, err)
		return nil, g.diags
	}
	return buf.Bytes(), nil
}

// inline is the TypeScript type of a named type written in place rather
// than declared: the standard library's time types and imported types
// that marshal themselves. "" for a type that is declared.
func (g *gen) inline(t model.Type) string {
	switch {
	case t.Path == "time" && t.Name == "Time":
		return "string"
	case t.Path == "time" && t.Name == "Duration":
		return "number"
	}
	td := g.decls[t]
	switch {
	case td.Local:
		return ""
	case td.MarshalJSON:
		return "unknown"
	case td.MarshalText:
		return "string"
	}
	return ""
}

// name picks the TypeScript name of every declared type: its Go name, or
// for an imported one that clashes, its package's name and its own.
func (g *gen) name() {
	taken := map[string]bool{}
	for _, n := range runtimeNames {
		taken[n] = true
	}
	for _, r := range g.m.Routes {
		if r.Recv != "" {
			taken[r.Recv+"Client"] = true
		}
	}
	for _, td := range g.api.Types {
		if td.Local {
			if taken[td.Type.Name] {
				g.diags.Addf(g.at, "the TypeScript client cannot declare type %s: the client declares that name itself; rename it", td.Type.Name)
			}
			taken[td.Type.Name] = true
			g.names[td.Type] = td.Type.Name
		}
	}
	for _, td := range g.api.Types {
		if td.Local || g.inline(td.Type) != "" {
			continue
		}
		n := td.Type.Name
		if taken[n] {
			n = upperFirst(td.Type.PkgName) + n
		}
		for i := 2; taken[n]; i++ {
			n = fmt.Sprintf("%s%s%d", upperFirst(td.Type.PkgName), td.Type.Name, i)
		}
		taken[n] = true
		g.names[td.Type] = n
	}
}

// types are the declarations of every type that is not written inline.
func (g *gen) types() []templates.TSType {
	var out []templates.TSType
	for _, td := range g.api.Types {
		name, ok := g.names[td.Type]
		if !ok {
			continue
		}
		t := templates.TSType{Doc: lines(td.Doc), Name: name}
		switch {
		case td.MarshalJSON:
			t.Alias = "unknown"
		case td.MarshalText:
			t.Alias = "string"
		case td.Underlying.Kind == model.StructShape:
			t.Fields = g.fields(td.Underlying.Fields, g.inputs[td.Type])
			t.Object = len(t.Fields) == 0
		default:
			t.Alias = g.ts(td.Underlying)
		}
		var values []string
		for _, c := range g.api.Consts {
			if c.Type == td.Type && enumConst(td, c) {
				t.Consts = append(t.Consts, templates.TSConst{Name: c.Name, Value: c.Value})
				if !slices.Contains(values, c.Value) {
					values = append(values, c.Value)
				}
			}
		}
		if len(values) > 0 {
			t.Alias = strings.Join(values, " | ")
		}
		out = append(out, t)
	}
	return out
}

// enumConst reports whether c is one of the values the server's enum
// check allows for its type, as the document's enum lists them: an
// exported constant of a string or integer type whose JSON is its own
// value (no MarshalJSON or MarshalText). Other constants (unexported, of
// a float type, of a type that marshals itself) are not a choice the
// server enforces, and the client does not narrow the type to them.
func enumConst(td model.TypeDecl, c model.ConstDecl) bool {
	if !token.IsExported(c.Name) || td.MarshalJSON || td.MarshalText || td.Underlying.Kind != model.BasicShape {
		return false
	}
	switch td.Underlying.Basic {
	case "string", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "byte", "rune":
		return true
	}
	return false
}

// fields are a struct's members as JSON carries them, by encoding/json's
// rules (model.JSONMembers): an embedded struct without a JSON name has its
// fields promoted, and of members sharing a name the shallowest wins. A
// member promoted through an embedded pointer may be missing. In an input
// struct, every field but the path's may be left out.
func (g *gen) fields(fs []model.ShapeField, in *model.Input) []templates.TSField {
	var out []templates.TSField
	for _, m := range model.JSONMembers(g.structFields(fs), g.embeddedFields) {
		f := m.Field()
		field := templates.TSField{Doc: lines(f.Doc), Name: member(m.Name), Optional: f.OmitEmpty, Type: g.ts(f.Type)}
		for _, e := range m.Path[:len(m.Path)-1] {
			field.Optional = field.Optional || e.Type.Kind == model.PointerShape
		}
		if f.Quoted {
			field.Type = "string"
		}
		if in != nil {
			field.Optional = true
			for _, bf := range in.Fields {
				if bf.Name == f.Name && bf.Source == model.FromPath {
					field.Optional = false
				}
			}
		}
		out = append(out, field)
	}
	return out
}

// structFields describes a struct's fields to model.JSONMembers.
func (g *gen) structFields(fs []model.ShapeField) []model.StructField[model.Type, model.ShapeField] {
	out := make([]model.StructField[model.Type, model.ShapeField], len(fs))
	for i, f := range fs {
		out[i] = model.StructField[model.Type, model.ShapeField]{Field: f, Name: f.Name, Tag: f.Tag, Exported: token.IsExported(f.Name), Embedded: f.Embedded}
		if t, ok := g.embeddedStruct(f.Type); ok {
			out[i].Struct, out[i].IsStruct = t, true
		}
	}
	return out
}

// embeddedFields are the fields of the struct type t.
func (g *gen) embeddedFields(t model.Type) []model.StructField[model.Type, model.ShapeField] {
	return g.structFields(g.decls[t].Underlying.Fields)
}

// embeddedStruct is the named struct type of s (or of *s) whose fields
// JSON promotes when s is embedded.
func (g *gen) embeddedStruct(s model.Shape) (model.Type, bool) {
	if s.Kind == model.PointerShape {
		s = *s.Elem
	}
	if s.Kind != model.NamedShape {
		return model.Type{}, false
	}
	td := g.decls[s.Type]
	if td.MarshalJSON || td.MarshalText || td.Underlying.Kind != model.StructShape {
		return model.Type{}, false
	}
	return s.Type, true
}

// ts is the TypeScript type of a shape.
func (g *gen) ts(s model.Shape) string {
	switch s.Kind {
	case model.BasicShape:
		switch s.Basic {
		case "string":
			return "string"
		case "bool":
			return "boolean"
		}
		return "number"
	case model.NamedShape:
		if t := g.inline(s.Type); t != "" {
			return t
		}
		if n, ok := g.names[s.Type]; ok {
			return n
		}
		return "unknown"
	case model.PointerShape:
		return g.ts(*s.Elem) + " | null"
	case model.SliceShape:
		if isByte(*s.Elem) {
			return "string" // base64
		}
		return elem(g.ts(*s.Elem)) + "[] | null"
	case model.ArrayShape:
		return elem(g.ts(*s.Elem)) + "[]"
	case model.MapShape:
		return "Record<string, " + g.ts(*s.Elem) + "> | null"
	case model.StructShape:
		var parts []string
		for _, f := range g.fields(s.Fields, nil) {
			opt := ""
			if f.Optional {
				opt = "?"
			}
			parts = append(parts, f.Name+opt+": "+f.Type)
		}
		return "{ " + strings.Join(parts, "; ") + " }"
	}
	return "unknown"
}

func isByte(s model.Shape) bool {
	return s.Kind == model.BasicShape && (s.Basic == "byte" || s.Basic == "uint8")
}

// elem parenthesizes a union that is an array's element.
func elem(t string) string {
	if strings.Contains(t, " | ") {
		return "(" + t + ")"
	}
	return t
}

// member is an interface member's name, quoted unless an identifier.
func member(name string) string {
	for i, r := range name {
		if !(r == '_' || r == '$' || unicode.IsLetter(r) || i > 0 && unicode.IsDigit(r)) {
			return fmt.Sprintf("%q", name)
		}
	}
	if name == "" {
		return `""`
	}
	return name
}

func upperFirst(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

func lines(text string) []string {
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}
