package check

import (
	"go/token"
	"go/types"

	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/pattern"
)

// binder decides, for each parameter of one route's handler, what part of
// the request binds it.
type binder struct {
	*checker
	route  *model.Route
	fn     *types.Func
	pat    pattern.Pattern
	params *paramSet      // the pattern's parameters, and which are bound
	body   string         // what already takes the body, for messages
	bodyAt token.Position // where the body parameter is
	wsBad  bool           // a *kk.WebSocket parameter was reported (websocket.go)
}

// bindAll binds every parameter after the optional context.
func (b *binder) bindAll(sig *types.Signature) bool {
	ok := true
	params := sig.Params()
	for i := 0; i < params.Len(); i++ {
		v := params.At(i)
		at := b.pos(v.Pos())
		name := funcName(b.fn)
		if ck := ctxKind(v.Type()); ck != model.NoCtx {
			if i != 0 {
				b.diags.Addf(at, "%s must be the first parameter of %s", types.TypeString(v.Type(), b.qualifier), name)
				ok = false
			}
			b.route.Ctx = ck
			continue
		}
		if isRuntime(v.Type(), "Ctx") {
			b.diags.Addf(at, "parameter %s of %s is a kk.Ctx; use *kk.Ctx", v.Name(), name)
			ok = false
			continue
		}
		if sig.Variadic() && i == params.Len()-1 {
			b.params.bind(v.Name()) // reported here, not again as unbound
			b.diags.Addf(at, "variadic parameter %s of %s cannot be bound", v.Name(), name)
			ok = false
			continue
		}
		if b.webSocketParam(v) {
			continue
		}
		if v.Name() == "" || v.Name() == "_" {
			b.diags.Addf(at, "parameter %d of %s has no name, so nothing binds it", i+1, name)
			ok = false
			continue
		}
		if b.eventStreamParam(v) { // eventstream.go
			continue
		}
		arg, good := b.bind(v)
		if good {
			b.route.Args = append(b.route.Args, arg)
		}
		ok = ok && good
	}
	return ok
}

// bind binds one parameter: by name to a pattern parameter; else a []byte
// or io.Reader takes the raw body; else a scalar (or *T, []T) binds the
// query key of its name; else a struct with binding tags is an input
// struct; else a struct, slice or map is the JSON body.
func (b *binder) bind(v *types.Var) (model.Arg, bool) {
	t, name, at := v.Type(), v.Name(), b.pos(v.Pos())
	arg := model.Arg{Name: name, Key: name}
	full, fullWhy := typeExpr(t)
	arg.Full = full
	typ := types.TypeString(t, b.qualifier)
	if idx, ok := b.params.bind(name); ok {
		s, why := scalar(t, false, false)
		if why != "" {
			b.diags.Addf(at, "parameter %s of %s has type %s, which cannot be decoded from a path parameter: %s", name, funcName(b.fn), typ, why)
			return arg, false
		}
		arg.Source, arg.Index, arg.Value = model.FromPath, idx, s
		return arg, true
	}
	under := types.Unalias(t).Underlying()
	switch {
	case types.Identical(under, byteSlice):
		if _, isText := textDecodable(t); !isText {
			arg.Source, arg.Value = model.FromRawBody, model.Scalar{Type: typeRef(t), Convert: isNamedType(t)}
			return arg, b.takeBody(v, "the raw body as "+typ)
		}
	case types.Identical(under, ioReader):
		arg.Source = model.FromReader
		return arg, b.takeBody(v, "the body as an io.Reader")
	}
	if s, why := scalar(t, true, false); why == "" {
		arg.Source, arg.Value = model.FromQuery, s
		return arg, true
	}
	if in, isInput, good := b.input(t, at); isInput {
		arg.Source, arg.Struct, arg.Validate = model.FromStruct, in, hasValidate(t)
		if good && in.Form {
			good = b.takeBody(v, "the form fields of "+typ)
		}
		return arg, good
	}
	if p, isPtr := types.Unalias(t).(*types.Pointer); isPtr {
		if isInputStruct(p.Elem()) {
			b.diags.Addf(at, "parameter %s of %s is a pointer to the input struct %s; take %s itself", name, funcName(b.fn), types.TypeString(p.Elem(), b.qualifier), types.TypeString(p.Elem(), b.qualifier))
			return arg, false
		}
	}
	if jsonBody(t) {
		if fullWhy != "" {
			b.diags.Addf(at, "parameter %s of %s has type %s, which cannot be the JSON body: %s", name, funcName(b.fn), typ, fullWhy)
			return arg, false
		}
		arg.Source, arg.Validate = model.FromJSON, hasValidate(t)
		return arg, b.takeBody(v, "the JSON body as "+typ)
	}
	b.diags.Addf(at, "parameter %s of %s has type %s, which nothing binds: it is not a pattern parameter of %q, a query value (string, bool, a number, a TextUnmarshaler, or *T or []T of those), an input struct, or a body (a struct, slice or map as JSON, []byte, io.Reader)",
		name, funcName(b.fn), typ, b.pat.Raw)
	return arg, false
}

// takeBody claims the request body for parameter v, reporting a second
// claim.
func (b *binder) takeBody(v *types.Var, what string) bool {
	if b.body != "" {
		b.diags.Addf(b.pos(v.Pos()), "parameter %s of %s would take %s, but the body is already taken by %s; a handler has at most one body",
			v.Name(), funcName(b.fn), what, b.body)
		return false
	}
	b.body = "parameter " + v.Name() + " (" + what + ")"
	b.bodyAt = b.pos(v.Pos())
	return true
}

// jsonBody reports whether t is decoded as a JSON body: a struct, a
// pointer to one, a slice or a map.
func jsonBody(t types.Type) bool {
	u := types.Unalias(t)
	if p, ok := u.(*types.Pointer); ok {
		_, isStruct := p.Elem().Underlying().(*types.Struct)
		return isStruct
	}
	switch u.Underlying().(type) {
	case *types.Struct, *types.Slice, *types.Map:
		return true
	}
	return false
}

func isNamedType(t types.Type) bool {
	_, ok := types.Unalias(t).(*types.Named)
	return ok
}
