package check

import (
	"go/types"

	"github.com/kommandkit/kk/internal/model"
)

// The go/types helpers every part of the checker uses: what a type is to
// kk (a context, a runtime type, an error, a reader) and how emitted code
// names it.

func ctxKind(t types.Type) model.CtxKind {
	if p, ok := types.Unalias(t).(*types.Pointer); ok && isRuntime(p.Elem(), "Ctx") {
		return model.KKCtx
	}
	if isNamed(t, "context", "Context") {
		return model.ContextCtx
	}
	return model.NoCtx
}

func isRuntime(t types.Type, name string) bool { return isNamed(t, model.RuntimePath, name) }

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
