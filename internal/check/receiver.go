package check

import (
	"go/types"
	"sort"
	"strings"

	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/model"
)

// Methods as handlers: //kk:route, //kk:errorhandler and //kk:consumer may
// annotate a method of a named type declared in the package, and //kk:use
// may name one as Type.Method. Generated code never builds a receiver: the
// generated NewRouter and RegisterConsumers take one value of each such
// type (model.Receiver), so a service's dependencies live in its fields,
// never in package variables.

// receiverOf returns the named type of fn's receiver and whether the
// receiver is a pointer, or nil for a func.
func receiverOf(fn *types.Func) (*types.Named, bool) {
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil {
		return nil, false
	}
	t, ptr := types.Unalias(recv.Type()), false
	if p, ok := t.(*types.Pointer); ok {
		t, ptr = types.Unalias(p.Elem()), true
	}
	n, _ := t.(*types.Named)
	return n, ptr
}

// recvName is the name of fn's receiver type, or "" for a func.
func recvName(fn *types.Func) string {
	if n, _ := receiverOf(fn); n != nil {
		return n.Obj().Name()
	}
	return ""
}

// funcName is how messages name fn: Get, or Users.Get for a method.
func funcName(fn *types.Func) string { return model.FuncName(recvName(fn), fn.Name()) }

// receiver reports whether the method fn can be a handler: its receiver is
// a named type of this package (load reports any other receiver as a type
// error) and not generic, since NewRouter could not name its type
// arguments.
func (c *checker) receiver(d directive.Directive, fn *types.Func) bool {
	n, _ := receiverOf(fn)
	if n == nil || n.Obj().Pkg() != c.pkg.Types {
		return false
	}
	if n.TypeParams().Len() > 0 {
		c.diags.Addf(d.Pos, "//kk:%s cannot annotate %s, a method of the generic type %s: the generated code could not name its type arguments; annotate a method of a non-generic type", d.Kind.Text, funcName(fn), n.Obj().Name())
		return false
	}
	return true
}

// useReceiver records that generated code calls a method of fn's
// receiver type: NewRouter takes a value of it when router is set,
// RegisterConsumers otherwise. A pointer receiver on any such method makes
// the parameter a pointer.
func (c *checker) useReceiver(fn *types.Func, router bool) {
	n, ptr := receiverOf(fn)
	if n == nil {
		return
	}
	name := n.Obj().Name()
	r := c.receivers[name]
	if r == nil {
		r = &model.Receiver{Type: name}
		c.receivers[name] = r
	}
	r.Pointer = r.Pointer || ptr
	if router {
		r.Router = true
	} else {
		r.Bus = true
	}
}

// receiverList is the recorded receivers ordered by type name, the order
// of NewRouter's and RegisterConsumers' parameters.
func (c *checker) receiverList() []model.Receiver {
	out := make([]model.Receiver, 0, len(c.receivers))
	for _, r := range c.receivers {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}

// middlewareMethod resolves a //kk:use name of the form Type.Method: a
// method of a non-generic type of this package, of type func(next
// kk.Handler) kk.Handler. It returns the method, or nil after reporting.
func (c *checker) middlewareMethod(name directive.Token) *types.Func {
	typ, meth, _ := strings.Cut(name.Text, ".")
	tn, _ := c.pkg.Types.Scope().Lookup(typ).(*types.TypeName)
	n, _ := types.Unalias(typeOf(tn)).(*types.Named)
	if n == nil {
		c.diags.Addf(name.Pos, "unknown middleware %q: %s is not a type of this package; want a package-level kk.Middleware var or func(next kk.Handler) kk.Handler, or Type.Method for such a method", name.Text, typ)
		return nil
	}
	if tn.IsAlias() || types.IsInterface(n) {
		c.diags.Addf(name.Pos, "%s is not a middleware: Type.Method names a method of a named, non-interface type declared in this package", name.Text)
		return nil
	}
	if n.TypeParams().Len() > 0 {
		c.diags.Addf(name.Pos, "%s is generic; a middleware method named in //kk:use must belong to a non-generic type", typ)
		return nil
	}
	var fn *types.Func
	for i := 0; i < n.NumMethods(); i++ {
		if n.Method(i).Name() == meth {
			fn = n.Method(i)
		}
	}
	if fn == nil {
		c.diags.Addf(name.Pos, "unknown middleware %q: %s has no method %s", name.Text, typ, meth)
		return nil
	}
	sig := fn.Type().(*types.Signature)
	if sig.Params().Len() != 1 || sig.Results().Len() != 1 || !isHandler(sig.Params().At(0).Type()) || !isHandler(sig.Results().At(0).Type()) {
		c.diags.Addf(name.Pos, "%s has type %s; a middleware is func(next kk.Handler) kk.Handler", name.Text, types.TypeString(sig, c.qualifier))
		return nil
	}
	return fn
}

// typeOf is tn's type, or nil when tn is nil.
func typeOf(tn *types.TypeName) types.Type {
	if tn == nil {
		return nil
	}
	return tn.Type()
}
