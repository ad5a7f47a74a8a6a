package check

import (
	"go/types"
	"regexp"

	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/pattern"
)

// methodRE accepts upper-case HTTP method tokens, including extension
// methods such as PROPFIND and M-SEARCH.
var methodRE = regexp.MustCompile(`^[A-Z][A-Z0-9_-]*$`)

// maxParams mirrors kk.MaxParams: the runtime's fixed parameter array.
const maxParams = 32

// route checks one //kk:route METHOD PATTERN.
func (c *checker) route(d directive.Directive) {
	method, raw := d.Args[0], d.Args[1]
	ok := true
	if !methodRE.MatchString(method.Text) {
		c.diags.Addf(method.Pos, "method %q must be an upper-case HTTP method such as GET or POST", method.Text)
		ok = false
	}
	pat, perrs := pattern.Parse(raw.Text)
	for _, e := range perrs {
		p := raw.Pos
		p.Column += e.Offset
		p.Offset += e.Offset
		c.diags.Addf(p, "%s", e.Msg)
		ok = false
	}
	names := pat.Params()
	if len(names) > maxParams {
		c.diags.Addf(raw.Pos, "pattern %q has %d parameters; at most %d are supported", raw.Text, len(names), maxParams)
		ok = false
	}
	fd, fn := c.funcTarget(d)
	if fd == nil {
		return
	}
	r := model.Route{Method: method.Text, Pattern: pat, Func: fn.Name(), Pos: d.Pos}
	sig := fn.Type().(*types.Signature)
	if !c.results(sig, fn, &r) {
		ok = false
	}
	if len(perrs) > 0 {
		return // binding by name needs a well-formed pattern
	}
	index := map[string]int{}
	for i, n := range names {
		index[n] = i
	}
	bound := map[string]bool{}
	params := sig.Params()
	for i := 0; i < params.Len(); i++ {
		v := params.At(i)
		at := c.pos(v.Pos())
		if ck := ctxKind(v.Type()); ck != model.NoCtx {
			if i != 0 {
				c.diags.Addf(at, "%s must be the first parameter of %s", types.TypeString(v.Type(), c.qualifier), fn.Name())
				ok = false
			}
			r.Ctx = ck
			continue
		}
		if isRuntime(v.Type(), "Ctx") {
			c.diags.Addf(at, "parameter %s of %s is a kk.Ctx; use *kk.Ctx", v.Name(), fn.Name())
			ok = false
			continue
		}
		if sig.Variadic() && i == params.Len()-1 {
			bound[v.Name()] = true // reported here, not again as unbound
			c.diags.Addf(at, "variadic parameter %s of %s cannot be bound", v.Name(), fn.Name())
			ok = false
			continue
		}
		if v.Name() == "" || v.Name() == "_" {
			c.diags.Addf(at, "parameter %d of %s has no name, so nothing binds it", i+1, fn.Name())
			ok = false
			continue
		}
		idx, found := index[v.Name()]
		if !found {
			c.diags.Addf(at, "parameter %s of %s is not bound: pattern %q has no :%s or *%s", v.Name(), fn.Name(), raw.Text, v.Name(), v.Name())
			ok = false
			continue
		}
		bound[v.Name()] = true
		arg, why := decodable(v.Type())
		if why != "" {
			c.diags.Addf(at, "parameter %s of %s has type %s, which cannot be decoded from a path parameter: %s", v.Name(), fn.Name(), types.TypeString(v.Type(), c.qualifier), why)
			ok = false
			continue
		}
		arg.Name, arg.Index = v.Name(), idx
		r.Args = append(r.Args, arg)
	}
	for i, n := range names {
		if !bound[n] {
			p := raw.Pos
			p.Column += pat.Segments[segmentOf(pat, i)].Offset
			c.diags.Addf(p, "pattern parameter %q has no parameter of that name in func %s", n, fn.Name())
			ok = false
		}
	}
	if ok {
		c.out.Routes = append(c.out.Routes, r)
	}
}

// segmentOf is the index in p.Segments of the i-th parameter.
func segmentOf(p pattern.Pattern, i int) int {
	for j, s := range p.Segments {
		if s.Kind != pattern.Static {
			if i == 0 {
				return j
			}
			i--
		}
	}
	return 0
}

// results checks the handler's results: none, error, T, or (T, error).
func (c *checker) results(sig *types.Signature, fn *types.Func, r *model.Route) bool {
	res := sig.Results()
	bad := func() bool {
		c.diags.Addf(c.pos(fn.Pos()), "%s returns %s; a handler returns nothing, error, T, or (T, error)", fn.Name(), types.TypeString(res, c.qualifier))
		return false
	}
	var value types.Type
	switch {
	case res.Len() == 0:
		r.Result = model.NoResult
	case res.Len() == 1 && isError(res.At(0).Type()):
		r.Result = model.ErrOnly
	case res.Len() == 1:
		r.Result, value = model.Value, res.At(0).Type()
	case res.Len() == 2 && isError(res.At(1).Type()) && !isError(res.At(0).Type()):
		r.Result, value = model.ValueErr, res.At(0).Type()
	default:
		return bad()
	}
	if value == nil {
		return true
	}
	switch {
	case types.Identical(value, types.Typ[types.String]):
		r.Encoding = model.EncodeText
	case types.Identical(value, byteSlice):
		r.Encoding = model.EncodeBytes
	default:
		r.Encoding = model.EncodeJSON
		if why := unencodable(value); why != "" {
			c.diags.Addf(c.pos(fn.Pos()), "%s returns %s, which cannot be encoded as JSON: %s", fn.Name(), types.TypeString(value, c.qualifier), why)
			return false
		}
	}
	return true
}

func unencodable(t types.Type) string {
	switch u := types.Unalias(t).Underlying().(type) {
	case *types.Chan:
		return "it is a channel"
	case *types.Signature:
		return "it is a func"
	case *types.Basic:
		if u.Info()&types.IsComplex != 0 {
			return "it is a complex number"
		}
		if u.Kind() == types.UnsafePointer {
			return "it is an unsafe.Pointer"
		}
	}
	return ""
}

func ctxKind(t types.Type) model.CtxKind {
	if p, ok := types.Unalias(t).(*types.Pointer); ok && isRuntime(p.Elem(), "Ctx") {
		return model.KKCtx
	}
	if isNamed(t, "context", "Context") {
		return model.ContextCtx
	}
	return model.NoCtx
}

func isRuntime(t types.Type, name string) bool { return isNamed(t, RuntimePath, name) }

func isNamed(t types.Type, path, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == path && n.Obj().Name() == name
}

var (
	errorType  = types.Universe.Lookup("error").Type()
	errorIface = errorType.Underlying().(*types.Interface)
	byteSlice  = types.NewSlice(types.Typ[types.Byte])
)

func isError(t types.Type) bool { return types.Identical(t, errorType) }

// typeRef names t for emitted code.
func typeRef(t types.Type) model.Type {
	t = types.Unalias(t)
	if n, ok := t.(*types.Named); ok {
		var ref model.Type
		if p := n.Obj().Pkg(); p != nil {
			ref.Path, ref.PkgName = p.Path(), p.Name()
		}
		ref.Name = n.Obj().Name()
		return ref
	}
	return model.Type{Name: types.TypeString(t, nil)}
}
