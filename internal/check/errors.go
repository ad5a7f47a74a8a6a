package check

import (
	"go/ast"
	"go/types"

	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/model"
)

// errorStatus checks //kk:error STATUS on a sentinel var or an error type.
func (c *checker) errorStatus(d directive.Directive) {
	status, ok := c.status(d.Args[0], 400, 599)
	gd, isGen := d.Decl.(*ast.GenDecl)
	if !isGen || d.Spec == nil || gd.Tok.String() == "const" || gd.Tok.String() == "import" {
		c.diags.Addf(d.Pos, "//kk:error must annotate a sentinel error var or an error type, not %s", describe(d))
		return
	}
	switch s := d.Spec.(type) {
	case *ast.ValueSpec:
		for _, id := range s.Names {
			v, _ := c.pkg.TypesInfo.Defs[id].(*types.Var)
			if v == nil || id.Name == "_" {
				continue
			}
			if !types.Implements(v.Type(), errorIface) {
				c.diags.Addf(c.pos(id.Pos()), "var %s is annotated //kk:error but its type %s is not an error", id.Name, types.TypeString(v.Type(), c.qualifier))
				continue
			}
			if ok && c.uniqueError(d, id.Name, func(e model.ErrorStatus) bool { return e.Var == id.Name }) {
				c.out.Errors = append(c.out.Errors, model.ErrorStatus{Status: status, Var: id.Name, Pos: d.Pos})
			}
		}
	case *ast.TypeSpec:
		tn, _ := c.pkg.TypesInfo.Defs[s.Name].(*types.TypeName)
		if tn == nil {
			return
		}
		if s.TypeParams != nil {
			c.diags.Addf(d.Pos, "//kk:error cannot annotate the generic type %s", s.Name.Name)
			return
		}
		t := tn.Type()
		value := types.Implements(t, errorIface)
		ptr := !types.IsInterface(t) && types.Implements(types.NewPointer(t), errorIface)
		if !value && !ptr {
			c.diags.Addf(c.pos(s.Name.Pos()), "type %s is annotated //kk:error but neither %s nor *%s implements error", s.Name.Name, s.Name.Name, s.Name.Name)
			return
		}
		ref := typeRef(t)
		if ok && c.uniqueError(d, s.Name.Name, func(e model.ErrorStatus) bool { return e.Var == "" && e.Type == ref }) {
			c.out.Errors = append(c.out.Errors, model.ErrorStatus{Status: status, Type: ref, Value: value, Ptr: ptr, Pos: d.Pos})
		}
	}
}

// uniqueError reports a second //kk:error on the same var or type, whose
// status could never apply.
func (c *checker) uniqueError(d directive.Directive, name string, same func(model.ErrorStatus) bool) bool {
	for _, e := range c.out.Errors {
		if same(e) {
			c.diags.Addf(d.Pos, "%s already has //kk:error %d at %s; an error maps to one status", name, e.Status, e.Pos)
			return false
		}
	}
	return true
}

// errorHandler checks //kk:errorhandler STATUS on a func(c *kk.Ctx, err
// error) or a method of that type.
func (c *checker) errorHandler(d directive.Directive) {
	status, ok := c.status(d.Args[0], 400, 599)
	fd, fn := c.funcTarget(d)
	if fd == nil {
		return
	}
	sig := fn.Type().(*types.Signature)
	p := sig.Params()
	if p.Len() != 2 || ctxKind(p.At(0).Type()) != model.KKCtx || !isError(p.At(1).Type()) || sig.Results().Len() != 0 || sig.Variadic() {
		c.diags.Addf(c.pos(fn.Pos()), "%s is annotated //kk:errorhandler but has type %s; want func(c *kk.Ctx, err error)", funcName(fn), types.TypeString(sig, c.qualifier))
		return
	}
	for _, h := range c.out.ErrorHandlers {
		if h.Status == status {
			c.diags.Addf(d.Pos, "duplicate //kk:errorhandler %d: %s, and %s at %s", status, funcName(fn), model.FuncName(h.Recv, h.Func), h.Pos)
			return
		}
	}
	if ok {
		c.out.ErrorHandlers = append(c.out.ErrorHandlers, model.ErrorHandler{Status: status, Func: fn.Name(), Recv: recvName(fn), Pos: d.Pos})
		c.useReceiver(fn, true)
	}
}
