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

// bodyless methods take no request body unless the func says //kk:allowbody.
var bodyless = map[string]bool{"GET": true, "HEAD": true, "DELETE": true}

// route checks one //kk:route METHOD PATTERN [STATUS].
func (c *checker) route(d directive.Directive) {
	method, raw := d.Args[0], d.Args[1]
	ok := true
	if !methodRE.MatchString(method.Text) {
		c.diags.Addf(method.Pos, "method %q must be an upper-case HTTP method such as GET or POST", method.Text)
		ok = false
	}
	status := 0
	if len(d.Args) == 3 {
		s, good := c.status(d.Args[2], 100, 599)
		ok = ok && good
		status = s
	}
	fd, fn := c.funcTarget(d)
	grp := c.groups[d.File]
	pat, perrs := c.pattern(grp, raw)
	ok = ok && len(perrs) == 0
	if fd == nil {
		return
	}
	extra := c.funcDirectives[fd]
	r := model.Route{Method: method.Text, Pattern: pat, Func: fn.Name(), Pos: d.Pos, Status: status,
		Middleware: append(append([]string(nil), grp.use...), extra.use...), Timeout: extra.timeout}
	sig := fn.Type().(*types.Signature)
	if !c.results(sig, fn, &r) {
		ok = false
	}
	if (status == 204 || status == 304) && (r.Result == model.Value || r.Result == model.ValueErr) && !r.Response {
		c.diags.Addf(d.Args[2].Pos, "%s returns a value, but status %d sends no body; return nothing or error", fn.Name(), status)
		ok = false
	}
	if len(perrs) > 0 {
		return // binding by name needs a well-formed pattern
	}
	b := binder{checker: c, route: &r, fn: fn, raw: raw, pat: pat, index: map[string]int{}, bound: map[string]bool{}}
	for i, n := range pat.Params() {
		b.index[n] = i
	}
	ok = b.bindAll(sig) && ok
	for i, n := range pat.Params() {
		if !b.bound[n] {
			p := raw.Pos
			seg := pat.Segments[segmentOf(pat, i)].Offset
			if off := seg - len(grp.prefix); off >= 0 {
				p.Column += off
			} else {
				p = grp.pos // the parameter is in the group's prefix
				p.Column += seg
			}
			c.diags.Addf(p, "pattern parameter %q has no parameter of that name in func %s", n, fn.Name())
			ok = false
		}
	}
	if b.body != "" && bodyless[r.Method] && !extra.allowBody {
		c.diags.Addf(d.Pos, "%s %s takes a request body through %s, which %s requests should not have; add //kk:allowbody to %s to accept one anyway",
			r.Method, pat.Raw, b.body, r.Method, fn.Name())
		ok = false
	}
	if ok {
		c.out.Routes = append(c.out.Routes, r)
	}
}

// pattern parses the group prefix and the route's pattern as one, placing
// each problem on the directive it came from.
func (c *checker) pattern(grp group, raw directive.Token) (pattern.Pattern, []pattern.Error) {
	if grp.prefix != "" && len(raw.Text) > 0 && raw.Text[0] != '/' {
		c.diags.Addf(raw.Pos, "pattern %q must start with \"/\"", raw.Text)
		return pattern.Pattern{}, []pattern.Error{{}}
	}
	pat, perrs := pattern.Parse(grp.prefix + raw.Text)
	for _, e := range perrs {
		p := raw.Pos
		if off := e.Offset - len(grp.prefix); off >= 0 {
			p.Column += off
			p.Offset += off
		} else {
			p = grp.pos
		}
		c.diags.Addf(p, "%s", e.Msg)
	}
	if n := len(pat.Params()); n > maxParams {
		c.diags.Addf(raw.Pos, "pattern %q has %d parameters; at most %d are supported", pat.Raw, n, maxParams)
		perrs = append(perrs, pattern.Error{})
	}
	return pat, perrs
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

// results checks the handler's results: none, error, T, or (T, error),
// where T may be a kk.Response[B].
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
	if n, ok := types.Unalias(value).(*types.Named); ok && isRuntime(n, "Response") && n.TypeArgs().Len() == 1 {
		r.Response, value = true, n.TypeArgs().At(0)
	}
	switch {
	case types.Identical(value, types.Typ[types.String]):
		r.Encoding = model.EncodeText
	case types.Identical(value, byteSlice):
		r.Encoding = model.EncodeBytes
	case types.Implements(value, ioReader) || types.Implements(types.NewPointer(value), ioReader) && !types.IsInterface(value):
		r.Encoding = model.EncodeStream
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
	// ioReader is io.Reader's method set, built here so checking needs no
	// import of package io from the user's program.
	ioReader = types.NewInterfaceType([]*types.Func{types.NewFunc(0, nil, "Read", types.NewSignatureType(nil, nil, nil,
		types.NewTuple(types.NewVar(0, nil, "p", byteSlice)),
		types.NewTuple(types.NewVar(0, nil, "n", types.Typ[types.Int]), types.NewVar(0, nil, "err", errorType)), false))}, nil).Complete()
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

// typeExpr describes t for declaring a local of that type, or reports why
// it cannot be written in generated code.
func typeExpr(t types.Type) (model.TypeExpr, string) {
	t = types.Unalias(t)
	switch u := t.(type) {
	case *types.Named:
		if u.TypeArgs().Len() > 0 {
			return model.TypeExpr{}, "instantiated generic types are not supported"
		}
		return model.TypeExpr{Kind: model.NamedType, Type: typeRef(u)}, ""
	case *types.Basic:
		return model.TypeExpr{Kind: model.NamedType, Type: model.Type{Name: u.Name()}}, ""
	case *types.Interface:
		if u.Empty() {
			return model.TypeExpr{Kind: model.NamedType, Type: model.Type{Name: "any"}}, ""
		}
	case *types.Pointer:
		e, why := typeExpr(u.Elem())
		return model.TypeExpr{Kind: model.PointerType, Elem: &e}, why
	case *types.Slice:
		e, why := typeExpr(u.Elem())
		return model.TypeExpr{Kind: model.SliceType, Elem: &e}, why
	case *types.Array:
		e, why := typeExpr(u.Elem())
		return model.TypeExpr{Kind: model.ArrayType, Len: u.Len(), Elem: &e}, why
	case *types.Map:
		k, why := typeExpr(u.Key())
		e, why2 := typeExpr(u.Elem())
		if why == "" {
			why = why2
		}
		return model.TypeExpr{Kind: model.MapType, Key: &k, Elem: &e}, why
	}
	return model.TypeExpr{}, "use a named type"
}

// hasValidate reports whether t (or *t) has a Validate() error method.
func hasValidate(t types.Type) bool {
	if _, isPtr := types.Unalias(t).(*types.Pointer); !isPtr {
		t = types.NewPointer(t) // a local of type T is addressable
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Validate")
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := fn.Type().(*types.Signature)
	return sig.Params().Len() == 0 && sig.Results().Len() == 1 && isError(sig.Results().At(0).Type())
}
