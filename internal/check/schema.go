package check

import (
	"encoding/json"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/kommandkit/kk/internal/model"
)

// The JSON shape of Go types, for the API document: what encoding/json
// writes and reads for each type a route takes or returns. Named structs
// and named types with constants become components (model.NamedSchema);
// everything else is written in place.

// schemas builds the components of one package's document.
type schemas struct {
	c      *checker
	names  map[*types.TypeName]string // component name of each named type seen
	taken  map[string]bool            // component names in use
	out    map[string]*model.NamedSchema
	docs   map[token.Pos]string            // doc comments by the position of the declared name
	fields map[*types.Var]fieldConstraints // checked once per field
}

type fieldConstraints struct {
	cons  model.Constraints
	kind  model.ValueKind
	ptr   bool // the field is *T
	slice bool // the field (or *T's T) is a slice or array
	ok    bool
}

func newSchemas(c *checker) *schemas {
	// Problem and FieldError are the document's own components (the
	// problem body); a type of the same name takes its package's name.
	s := &schemas{c: c, names: map[*types.TypeName]string{}, taken: map[string]bool{"Problem": true, "FieldError": true}, out: map[string]*model.NamedSchema{},
		docs: map[token.Pos]string{}, fields: map[*types.Var]fieldConstraints{}}
	for _, f := range c.pkg.Syntax {
		s.collectDocs(f)
	}
	return s
}

// collectDocs records the doc comments of f's funcs, types and struct
// fields, and the package's doc comment.
func (s *schemas) collectDocs(f *ast.File) {
	if f.Doc != nil && s.c.out.Doc == "" {
		s.c.out.Doc = docText(f.Doc)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			s.docs[n.Name.Pos()] = docText(n.Doc)
			return false
		case *ast.GenDecl:
			for _, sp := range n.Specs {
				if ts, ok := sp.(*ast.TypeSpec); ok {
					doc := ts.Doc
					if doc == nil && len(n.Specs) == 1 {
						doc = n.Doc
					}
					s.docs[ts.Name.Pos()] = docText(doc)
				}
			}
		case *ast.StructType:
			for _, fl := range n.Fields.List {
				doc := fl.Doc
				if doc == nil {
					doc = fl.Comment
				}
				for _, name := range fl.Names {
					s.docs[name.Pos()] = docText(doc)
				}
			}
		}
		return true
	})
}

// docText is a comment's text without directives, trimmed.
func docText(g *ast.CommentGroup) string {
	if g == nil {
		return ""
	}
	return strings.TrimSpace(g.Text())
}

// list returns the components sorted by name.
func (s *schemas) list() []model.NamedSchema {
	out := make([]model.NamedSchema, 0, len(s.out))
	for _, n := range s.out {
		out = append(out, *n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// of is the JSON shape of t.
func (s *schemas) of(t types.Type) model.Schema {
	t = types.Unalias(t)
	if isNamed(t, "time", "Time") {
		return model.Schema{Kind: model.StringSchema, Format: "date-time"}
	}
	if p, ok := t.(*types.Pointer); ok {
		e := s.of(p.Elem())
		e.Nullable = true
		return e
	}
	if hasMethod(t, "MarshalJSON") {
		return model.Schema{Kind: model.AnySchema}
	}
	if hasMethod(t, "MarshalText") {
		return model.Schema{Kind: model.StringSchema}
	}
	if n, ok := t.(*types.Named); ok {
		if _, isStruct := n.Underlying().(*types.Struct); isStruct {
			return model.Schema{Kind: model.RefSchema, Ref: s.object(n)}
		}
		if enum := s.enum(n); enum != nil {
			return model.Schema{Kind: model.RefSchema, Ref: s.enumComponent(n, enum)}
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return basicSchema(u)
	case *types.Slice:
		if b, ok := u.Elem().Underlying().(*types.Basic); ok && b.Kind() == types.Byte {
			return model.Schema{Kind: model.StringSchema, Format: "byte"}
		}
		e := s.of(u.Elem())
		return model.Schema{Kind: model.ArraySchema, Items: &e, Nullable: true} // a nil slice is null
	case *types.Array:
		e := s.of(u.Elem())
		return model.Schema{Kind: model.ArraySchema, Items: &e}
	case *types.Map:
		e := s.of(u.Elem())
		return model.Schema{Kind: model.MapSchema, Items: &e, Nullable: true} // a nil map is null
	}
	return model.Schema{Kind: model.AnySchema}
}

func basicSchema(b *types.Basic) model.Schema {
	switch {
	case b.Info()&types.IsString != 0:
		return model.Schema{Kind: model.StringSchema}
	case b.Info()&types.IsBoolean != 0:
		return model.Schema{Kind: model.BoolSchema}
	case b.Info()&types.IsFloat != 0:
		if b.Kind() == types.Float32 {
			return model.Schema{Kind: model.NumberSchema, Format: "float"}
		}
		return model.Schema{Kind: model.NumberSchema, Format: "double"}
	case b.Info()&types.IsInteger != 0:
		sc := model.Schema{Kind: model.IntegerSchema, Format: "int64"}
		switch b.Kind() {
		case types.Int8:
			sc.Format, sc.Minimum, sc.Maximum = "int32", "-128", "127"
		case types.Int16:
			sc.Format, sc.Minimum, sc.Maximum = "int32", "-32768", "32767"
		case types.Int32:
			sc.Format = "int32"
		case types.Uint8:
			sc.Format, sc.Minimum, sc.Maximum = "int32", "0", "255"
		case types.Uint16:
			sc.Format, sc.Minimum, sc.Maximum = "int32", "0", "65535"
		case types.Uint32:
			sc.Format, sc.Minimum, sc.Maximum = "int64", "0", "4294967295"
		case types.Uint, types.Uint64, types.Uintptr:
			sc.Minimum = "0"
		}
		return sc
	}
	return model.Schema{Kind: model.AnySchema}
}

// name picks the component name of a named type: its own name, or with its
// package's name in front when another type already has it. Type arguments
// are spelled into it.
func (s *schemas) name(n *types.Named) (string, bool) {
	if name, ok := s.names[n.Obj()]; ok && n.TypeArgs().Len() == 0 {
		return name, true
	}
	base := n.Obj().Name()
	for i := 0; i < n.TypeArgs().Len(); i++ {
		base += "_" + componentSafe(types.TypeString(n.TypeArgs().At(i), func(p *types.Package) string { return "" }))
	}
	if n.TypeArgs().Len() > 0 {
		if _, ok := s.out[base]; ok {
			return base, true
		}
	}
	name := base
	if s.taken[name] && n.Obj().Pkg() != nil {
		name = n.Obj().Pkg().Name() + "." + base
	}
	for i := 2; s.taken[name]; i++ {
		name = base + strconv.Itoa(i)
	}
	s.taken[name] = true
	if n.TypeArgs().Len() == 0 {
		s.names[n.Obj()] = name
	}
	return name, false
}

func componentSafe(t string) string {
	var b strings.Builder
	for _, r := range t {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// object returns the component of the named struct n, building it the
// first time.
func (s *schemas) object(n *types.Named) string {
	name, done := s.name(n)
	if done {
		return name
	}
	ns := &model.NamedSchema{Name: name, GoName: types.TypeString(n, s.c.qualifier), Doc: s.docs[n.Obj().Pos()], Object: true}
	s.out[name] = ns
	ns.Fields = s.fieldsOf(n.Underlying().(*types.Struct))
	return name
}

// fieldsOf lists the JSON members of st as encoding/json writes them
// (model.JSONMembers): embedded structs without a JSON name are
// flattened, and of fields sharing a name the shallowest (or the tagged
// one of the shallowest) wins. A field promoted through an embedded
// pointer is absent when the pointer is nil, so it is not required.
func (s *schemas) fieldsOf(st *types.Struct) []model.SchemaField {
	var out []model.SchemaField
	for _, m := range jsonMembers(st) {
		f := m.Field()
		jtag, hasTag := reflect.StructTag(f.tag).Lookup("json")
		_, opts, _ := strings.Cut(jtag, ",")
		sf := model.SchemaField{Name: m.Name, Doc: s.docs[f.v.Pos()], Schema: s.of(f.v.Type())}
		sf.Required = !hasOpt(opts, "omitempty") && !hasOpt(opts, "omitzero") && !viaPointer(m)
		if hasOpt(opts, "string") && hasTag {
			sf.Schema = model.Schema{Kind: model.StringSchema, Nullable: sf.Schema.Nullable}
		}
		fc := s.constraints(f.v, f.tag)
		sf.Constraints = fc.cons
		if fc.cons.Doc != "" {
			sf.Doc = fc.cons.Doc
		}
		out = append(out, sf)
	}
	return out
}

// member is a struct field as model.JSONMembers sees it.
type member struct {
	v   *types.Var
	tag string
	ptr bool // its type is a pointer
}

// jsonMembers lists the JSON members of st by encoding/json's rules.
func jsonMembers(st *types.Struct) []model.JSONMember[member] {
	return model.JSONMembers(structFields(st), structFields)
}

// structFields describes st's fields to model.JSONMembers.
func structFields(st *types.Struct) []model.StructField[*types.Struct, member] {
	out := make([]model.StructField[*types.Struct, member], st.NumFields())
	for i := range out {
		f := st.Field(i)
		t := types.Unalias(f.Type())
		p, ptr := t.(*types.Pointer)
		if ptr {
			t = types.Unalias(p.Elem())
		}
		out[i] = model.StructField[*types.Struct, member]{Field: member{f, st.Tag(i), ptr}, Name: f.Name(), Tag: st.Tag(i),
			Exported: f.Exported(), Embedded: f.Embedded()}
		if est, ok := t.Underlying().(*types.Struct); ok {
			out[i].Struct, out[i].IsStruct = est, true
		}
	}
	return out
}

// viaPointer reports whether m is promoted through an embedded pointer.
func viaPointer(m model.JSONMember[member]) bool {
	for _, e := range m.Path[:len(m.Path)-1] {
		if e.ptr {
			return true
		}
	}
	return false
}

func hasOpt(opts, name string) bool {
	for _, o := range strings.Split(opts, ",") {
		if o == name {
			return true
		}
	}
	return false
}

// enum lists the constants of the named type n whose underlying type is
// a string or an integer, in source order, or nil when it has none.
func (s *schemas) enum(n *types.Named) []*types.Const {
	b, ok := n.Underlying().(*types.Basic)
	if !ok || b.Info()&(types.IsString|types.IsInteger) == 0 || n.Obj().Pkg() == nil || s.standard(n.Obj().Pkg().Path()) {
		return nil
	}
	scope := n.Obj().Pkg().Scope()
	var out []*types.Const
	for _, name := range scope.Names() {
		if k, ok := scope.Lookup(name).(*types.Const); ok && k.Exported() && types.Identical(k.Type(), n) {
			out = append(out, k)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos() < out[j].Pos() })
	return out
}

// enumComponent returns the component of the named type n, whose
// constants are its enum.
func (s *schemas) enumComponent(n *types.Named, consts []*types.Const) string {
	name, done := s.name(n)
	if done {
		return name
	}
	ns := &model.NamedSchema{Name: name, GoName: types.TypeString(n, s.c.qualifier), Doc: s.docs[n.Obj().Pos()],
		Base: basicSchema(n.Underlying().(*types.Basic))}
	ns.Base.Minimum, ns.Base.Maximum = "", ""
	seen := map[string]bool{}
	for _, k := range consts {
		lit, _ := constLiterals(k.Val())
		if !seen[lit] {
			seen[lit] = true
			ns.Enum = append(ns.Enum, lit)
		}
	}
	s.out[name] = ns
	return name
}

// constLiterals spells a constant's value as JSON and as Go.
func constLiterals(v constant.Value) (jsonLit, goLit string) {
	if v.Kind() == constant.String {
		str := constant.StringVal(v)
		b, _ := json.Marshal(str)
		return string(b), strconv.Quote(str)
	}
	return v.ExactString(), v.ExactString()
}

// standard reports whether path is a standard-library package, whose
// typed constants are as often units (time.Second) as choices: they are
// not enums. A path whose first element has no dot is the standard
// library's, unless it is the first element of the generated package's own
// path (a module named "myapp").
func (s *schemas) standard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	own, _, _ := strings.Cut(s.c.pkg.PkgPath, "/")
	return !strings.Contains(first, ".") && first != own
}
