// Package apitype describes, from go/types, the Go types of a checked
// package's routes as the clients need them: each parameter's and result's
// type, and the declaration of every named type they reach (its fields
// with their JSON names, its constants, how it marshals). The result is a
// model.API, plain data like the rest of the model.
package apitype

import (
	"cmp"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/kommandkit/kk/internal/diag"
	"github.com/kommandkit/kk/internal/model"
)

// describer walks the types reachable from the routes.
type describer struct {
	pkg   *packages.Package
	docs  map[token.Pos]string // doc comments of type specs, fields and consts, by the name's position
	named map[*types.TypeName]*types.Named
	diags diag.List
	at    token.Position // the route being described, for diagnostics
}

// Describe returns the API of m, checked from pkg. A type the clients
// cannot carry (an instantiated generic type, a channel, a func) is a
// diagnostic at the route that reaches it.
func Describe(pkg *packages.Package, m *model.Package) (*model.API, diag.List) {
	d := &describer{pkg: pkg, docs: docs(pkg.Syntax), named: map[*types.TypeName]*types.Named{}}
	api := &model.API{}
	for _, r := range m.Routes {
		d.at = r.Pos
		api.Routes = append(api.Routes, d.route(r))
	}
	for obj, n := range d.named {
		api.Types = append(api.Types, d.decl(obj, n))
	}
	slices.SortFunc(api.Types, func(a, b model.TypeDecl) int {
		return cmp.Or(cmp.Compare(a.Type.Path, b.Type.Path), cmp.Compare(a.Type.Name, b.Type.Name))
	})
	api.Consts = d.consts(api.Types)
	return api, d.diags
}

// route describes the parameters and the result of one route's handler.
func (d *describer) route(r model.Route) model.APIRoute {
	var out model.APIRoute
	fn := d.handler(r)
	if fn == nil {
		return out // a //kk:static var
	}
	out.Doc = d.docs[fn.Pos()]
	sig := fn.Type().(*types.Signature)
	byName := map[string]types.Type{}
	for i := 0; i < sig.Params().Len(); i++ {
		byName[sig.Params().At(i).Name()] = sig.Params().At(i).Type()
	}
	for _, a := range r.Args {
		switch a.Source {
		case model.FromWebSocket, model.FromEventStream, model.FromRawBody, model.FromReader:
			out.Params = append(out.Params, model.Shape{})
		default:
			out.Params = append(out.Params, d.shape(byName[a.Name]))
		}
	}
	if r.Result == model.Value || r.Result == model.ValueErr {
		t := types.Unalias(sig.Results().At(0).Type())
		if n, ok := t.(*types.Named); ok && r.Response && n.TypeArgs().Len() == 1 {
			t = n.TypeArgs().At(0)
		}
		if r.Encoding == model.EncodeJSON {
			s := d.shape(t)
			out.Result = &s
		} else {
			out.Result = &model.Shape{} // text, bytes or a stream: the clients know their types
		}
	}
	return out
}

// handler finds the func or method that serves r.
func (d *describer) handler(r model.Route) *types.Func {
	if r.Static != nil {
		return nil
	}
	scope := d.pkg.Types.Scope()
	if r.Recv == "" {
		fn, _ := scope.Lookup(r.Func).(*types.Func)
		return fn
	}
	tn, _ := scope.Lookup(r.Recv).(*types.TypeName)
	if tn == nil {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), true, d.pkg.Types, r.Func)
	fn, _ := obj.(*types.Func)
	return fn
}

// shape describes t, recording each named type it reaches.
func (d *describer) shape(t types.Type) model.Shape {
	if t == nil {
		return model.Shape{Kind: model.AnyShape}
	}
	t = types.Unalias(t)
	switch u := t.(type) {
	case *types.Named:
		if u.TypeArgs().Len() > 0 || u.TypeParams().Len() > 0 {
			d.diags.Addf(d.at, "the clients cannot declare %s: instantiated generic types are not supported", types.TypeString(u, nil))
			return model.Shape{Kind: model.AnyShape}
		}
		if u.Obj().Pkg() == nil { // error
			return model.Shape{Kind: model.AnyShape}
		}
		if _, seen := d.named[u.Obj()]; !seen {
			d.named[u.Obj()] = u
			if !opaque(u) {
				d.shape(u.Underlying()) // reach the types its fields name
			}
		}
		return model.Shape{Kind: model.NamedShape, Type: typeRef(u)}
	case *types.Basic:
		return model.Shape{Kind: model.BasicShape, Basic: u.Name()}
	case *types.Pointer:
		e := d.shape(u.Elem())
		return model.Shape{Kind: model.PointerShape, Elem: &e}
	case *types.Slice:
		e := d.shape(u.Elem())
		return model.Shape{Kind: model.SliceShape, Elem: &e}
	case *types.Array:
		e := d.shape(u.Elem())
		return model.Shape{Kind: model.ArrayShape, Elem: &e, Len: u.Len()}
	case *types.Map:
		k, e := d.shape(u.Key()), d.shape(u.Elem())
		return model.Shape{Kind: model.MapShape, Key: &k, Elem: &e}
	case *types.Struct:
		return model.Shape{Kind: model.StructShape, Fields: d.fields(u)}
	case *types.Interface:
		return model.Shape{Kind: model.AnyShape}
	}
	d.diags.Addf(d.at, "the clients cannot carry %s", types.TypeString(t, nil))
	return model.Shape{Kind: model.AnyShape}
}

// opaque says whether t marshals itself, so its fields are not its JSON.
func opaque(t types.Type) bool {
	return hasMethod(t, "MarshalJSON") || hasMethod(t, "MarshalText")
}

// fields describes the fields of a struct that JSON carries.
func (d *describer) fields(st *types.Struct) []model.ShapeField {
	var out []model.ShapeField
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		tag := st.Tag(i)
		name, opts, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
		if name == "-" && opts == "" || !f.Exported() && !f.Embedded() {
			continue
		}
		if !f.Exported() { // an embedded unexported type: JSON promotes its exported fields, which a client cannot copy
			d.diags.Addf(d.at, "the clients cannot declare field %s: it embeds an unexported type", f.Name())
			continue
		}
		sf := model.ShapeField{Name: f.Name(), Embedded: f.Embedded(), Type: d.shape(f.Type()), Tag: tag, Doc: d.docs[f.Pos()]}
		sf.JSON = cmp.Or(name, f.Name())
		for _, o := range strings.Split(opts, ",") {
			sf.OmitEmpty = sf.OmitEmpty || o == "omitempty" || o == "omitzero"
			sf.Quoted = sf.Quoted || o == "string"
		}
		out = append(out, sf)
	}
	return out
}

// decl describes the declaration of a named type.
func (d *describer) decl(obj *types.TypeName, n *types.Named) model.TypeDecl {
	td := model.TypeDecl{Type: typeRef(n), Local: obj.Pkg() == d.pkg.Types, Doc: d.docs[obj.Pos()]}
	td.MarshalJSON = hasMethod(n, "MarshalJSON")
	td.MarshalText = !td.MarshalJSON && hasMethod(n, "MarshalText")
	td.TextPointer = td.MarshalText && !hasValueMethod(n, "MarshalText")
	td.Underlying = model.Shape{Kind: model.AnyShape} // its JSON is its own
	if !opaque(n) {
		td.Underlying = d.shape(n.Underlying())
	}
	if td.Local {
		switch {
		case td.MarshalJSON:
			td.Problem = obj.Name() + " has its own MarshalJSON method, which a client cannot copy; declare the type in a package of its own, which the client imports"
		case td.MarshalText:
			td.Problem = obj.Name() + " has its own MarshalText method, which a client cannot copy; declare the type in a package of its own, which the client imports"
		}
	}
	return td
}

// consts lists the constants of the local types, by type, then in source
// order.
func (d *describer) consts(decls []model.TypeDecl) []model.ConstDecl {
	local := map[string]bool{}
	for _, td := range decls {
		local[td.Type.Name] = td.Local
	}
	var out []model.ConstDecl
	var pos []token.Pos
	scope := d.pkg.Types.Scope()
	for _, name := range scope.Names() {
		c, ok := scope.Lookup(name).(*types.Const)
		if !ok {
			continue
		}
		n, ok := types.Unalias(c.Type()).(*types.Named)
		if !ok || n.Obj().Pkg() != d.pkg.Types || !local[n.Obj().Name()] {
			continue
		}
		out = append(out, model.ConstDecl{Name: name, Type: typeRef(n), Value: literal(c.Val()), Doc: d.docs[c.Pos()]})
		pos = append(pos, c.Pos())
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(out[a].Type.Name, out[b].Type.Name), cmp.Compare(pos[a], pos[b]))
	})
	sorted := make([]model.ConstDecl, len(out))
	for i, j := range idx {
		sorted[i] = out[j]
	}
	return sorted
}

// literal writes a constant's exact value as Go source.
func literal(v constant.Value) string {
	if v.Kind() == constant.Float {
		if f, exact := constant.Float64Val(v); exact {
			return constant.MakeFloat64(f).ExactString()
		}
	}
	return v.ExactString()
}

func typeRef(n *types.Named) model.Type {
	return model.Type{Path: n.Obj().Pkg().Path(), PkgName: n.Obj().Pkg().Name(), Name: n.Obj().Name()}
}

// hasMethod says whether t or *t has the method name.
func hasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(t), true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

func hasValueMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

// docs maps the position of each type, field and const name to its doc
// comment.
func docs(files []*ast.File) map[token.Pos]string {
	out := map[token.Pos]string{}
	text := func(groups ...*ast.CommentGroup) string {
		for _, g := range groups {
			if g != nil {
				return strings.TrimSpace(g.Text())
			}
		}
		return ""
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GenDecl:
				for _, s := range n.Specs {
					var single *ast.CommentGroup
					if len(n.Specs) == 1 {
						single = n.Doc
					}
					switch s := s.(type) {
					case *ast.TypeSpec:
						out[s.Name.Pos()] = text(s.Doc, single)
					case *ast.ValueSpec:
						for _, name := range s.Names {
							out[name.Pos()] = text(s.Doc, single, s.Comment)
						}
					}
				}
			case *ast.FuncDecl:
				out[n.Name.Pos()] = text(n.Doc)
			case *ast.Field:
				for _, name := range n.Names {
					out[name.Pos()] = text(n.Doc, n.Comment)
				}
				if len(n.Names) == 0 {
					out[n.Type.Pos()] = text(n.Doc, n.Comment)
				}
			}
			return true
		})
	}
	return out
}
