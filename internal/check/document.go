package check

import (
	"go/types"
	"reflect"
	"strings"

	"github.com/kommandkit/kk/internal/model"
)

// document fills in what the API document needs for every accepted route:
// the handler's doc comment, the JSON shape of each argument and of the
// result, the doc comments and declared constraints of input-struct
// fields, and the constraint checks of JSON bodies. Constraint tags are
// checked here, so a bad one is reported whether or not a document is
// written.
func (c *checker) document() {
	s := newSchemas(c)
	for i := range c.out.Routes {
		r := &c.out.Routes[i]
		if r.Static != nil {
			continue
		}
		fn := c.routeFunc(r)
		if fn == nil {
			continue
		}
		doc := s.docs[fn.Pos()]
		r.Doc = model.Doc{Summary: summary(doc), Description: doc}
		sig := fn.Type().(*types.Signature)
		params := map[string]types.Type{}
		for j := 0; j < sig.Params().Len(); j++ {
			params[sig.Params().At(j).Name()] = sig.Params().At(j).Type()
		}
		for j := range r.Args {
			a := &r.Args[j]
			t := params[a.Name]
			if t == nil {
				continue
			}
			switch a.Source {
			case model.FromWebSocket, model.FromEventStream, model.FromRawBody, model.FromReader:
			case model.FromStruct:
				a.Struct = s.input(a.Struct, t)
			case model.FromJSON:
				sc := s.of(t)
				a.Schema = &sc
				a.Checks = s.checks(t)
			default:
				sc := s.of(t)
				a.Schema = &sc
				a.Enum = s.argEnum(t, a.Value)
			}
		}
		if r.Encoding == model.EncodeJSON && (r.Result == model.Value || r.Result == model.ValueErr) {
			v := sig.Results().At(0).Type()
			if n, ok := types.Unalias(v).(*types.Named); ok && r.Response {
				v = n.TypeArgs().At(0)
			}
			sc := s.of(v)
			r.ResultSchema = &sc
		}
	}
	c.out.Schemas = s.list()
}

// routeFunc finds the func or method that serves r.
func (c *checker) routeFunc(r *model.Route) *types.Func {
	if r.Recv == "" {
		fn, _ := c.pkg.Types.Scope().Lookup(r.Func).(*types.Func)
		return fn
	}
	tn, _ := c.pkg.Types.Scope().Lookup(r.Recv).(*types.TypeName)
	if tn == nil {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), true, c.pkg.Types, r.Func)
	fn, _ := obj.(*types.Func)
	return fn
}

// summary is the first sentence of a doc comment, on one line.
func summary(doc string) string {
	for i := 0; i < len(doc); i++ {
		if doc[i] == '\n' && i+1 < len(doc) && doc[i+1] == '\n' {
			doc = doc[:i]
			break
		}
		if doc[i] == '.' && (i+1 == len(doc) || doc[i+1] == ' ' || doc[i+1] == '\n') {
			doc = doc[:i+1]
			break
		}
	}
	out := []byte(doc)
	for i, b := range out {
		if b == '\n' {
			out[i] = ' '
		}
	}
	return string(out)
}

// input gives an input struct's fields their shapes, docs and declared
// constraints; it returns a copy, since routes may share the model's
// Input.
func (s *schemas) input(in *model.Input, t types.Type) *model.Input {
	named, _ := types.Unalias(t).(*types.Named)
	if in == nil || named == nil {
		return in
	}
	st := named.Underlying().(*types.Struct)
	cp := *in
	cp.Fields = append([]model.Field(nil), in.Fields...)
	for i := range cp.Fields {
		fl := &cp.Fields[i]
		for j := 0; j < st.NumFields(); j++ {
			f := st.Field(j)
			if f.Name() != fl.Name {
				continue
			}
			fl.Doc = s.docs[f.Pos()]
			if !fl.Value.File {
				sc := s.of(f.Type())
				fl.Schema = &sc
			}
			fc := s.constraints(f, st.Tag(j))
			if fc.cons.Doc != "" {
				fl.Doc = fc.cons.Doc
			}
			if fl.Value.File && !fc.cons.Empty() {
				s.c.diags.Addf(s.c.pos(f.Pos()), "field %s: constraints do not apply to uploaded files", f.Name())
				continue
			}
			fl.Constraints = fc.cons
		}
	}
	return &cp
}

// checks lists the fields of a JSON body's struct type that carry
// constraints, or hold a struct whose fields do (at any depth; a type
// already being listed is not entered again), or nil when none does. A
// body that is a slice, array or map of such a struct (or of pointers to
// one) has each element checked.
func (s *schemas) checks(t types.Type) *model.Checks {
	if ck := s.checksOf(t, map[*types.Named]bool{}); ck != nil {
		return ck
	}
	u := types.Unalias(t)
	if p, ok := u.(*types.Pointer); ok {
		u = types.Unalias(p.Elem())
	}
	if hasMethod(u, "UnmarshalJSON") || hasMethod(u, "UnmarshalText") {
		return nil
	}
	each := model.SliceOf
	var elem types.Type
	switch c := u.Underlying().(type) {
	case *types.Slice:
		elem = c.Elem()
	case *types.Array:
		elem = c.Elem()
	case *types.Map:
		k, ok := c.Key().Underlying().(*types.Basic)
		switch {
		case !ok || hasMethod(c.Key(), "UnmarshalText"):
			return nil // keys the field errors could not spell
		case k.Info()&types.IsString != 0:
			each = model.StringMap
		case k.Info()&types.IsInteger != 0:
			each = model.IntMap
		default:
			return nil
		}
		elem = c.Elem()
	default:
		return nil
	}
	ck := s.checksOf(elem, map[*types.Named]bool{})
	if ck != nil {
		ck.Each = each
	}
	return ck
}

func (s *schemas) checksOf(t types.Type, stack map[*types.Named]bool) *model.Checks {
	ck := &model.Checks{}
	u := types.Unalias(t)
	if p, ok := u.(*types.Pointer); ok {
		ck.Ptr, u = true, types.Unalias(p.Elem())
	}
	named, ok := u.(*types.Named)
	if !ok || stack[named] || isNamed(named, "time", "Time") {
		return nil
	}
	st, ok := named.Underlying().(*types.Struct)
	if !ok || hasMethod(named, "UnmarshalJSON") || hasMethod(named, "UnmarshalText") {
		return nil
	}
	stack[named] = true
	defer delete(stack, named)
	ck.Type = typeRef(named)
	// The members encoding/json fills, promoted ones included, each
	// reached through its embedded fields.
	for _, m := range jsonMembers(st) {
		f := m.Field()
		fc := s.constraints(f.v, f.tag)
		var nested *model.Checks
		if !(fc.ptr && fc.slice) {
			inner := types.Unalias(f.v.Type())
			if fc.slice {
				if p, ok := inner.(*types.Pointer); ok {
					inner = types.Unalias(p.Elem())
				}
				switch e := inner.Underlying().(type) {
				case *types.Slice:
					inner = e.Elem()
				case *types.Array:
					inner = e.Elem()
				}
			}
			nested = s.checksOf(inner, stack)
		}
		if fc.cons.Empty() && nested == nil {
			continue
		}
		_, opts, _ := strings.Cut(reflect.StructTag(f.tag).Get("json"), ",")
		var via []model.Embed
		for _, e := range m.Path[:len(m.Path)-1] {
			via = append(via, model.Embed{Name: e.v.Name(), Ptr: e.ptr})
		}
		ck.Fields = append(ck.Fields, model.Checked{Name: f.v.Name(), Key: m.Name, Kind: fc.kind, Ptr: fc.ptr, Slice: fc.slice,
			Optional: hasOpt(opts, "omitempty") || hasOpt(opts, "omitzero"), Constraints: fc.cons, Nested: nested, Via: via})
	}
	if len(ck.Fields) == 0 {
		return nil
	}
	return ck
}

// argEnum lists, as Go literals, the constants of a bound value's named
// type (or of the element of *T and []T), which the wrapper enforces.
func (s *schemas) argEnum(t types.Type, v model.Scalar) []string {
	if v.Decoder == model.DecodeText || v.File {
		return nil
	}
	t = types.Unalias(t)
	switch u := t.(type) {
	case *types.Pointer:
		t = types.Unalias(u.Elem())
	case *types.Slice:
		t = types.Unalias(u.Elem())
	}
	n, ok := t.(*types.Named)
	if !ok || hasMethod(n, "UnmarshalText") {
		return nil
	}
	var out []string
	for _, k := range s.enum(n) {
		_, goLit := constLiterals(k.Val())
		out = append(out, goLit)
	}
	return out
}
