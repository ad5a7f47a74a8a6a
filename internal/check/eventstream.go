package check

import (
	"go/types"

	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/model"
)

// eventStreamParam binds v when it is the *kk.EventStream of an
// event-stream route, reporting a kk.EventStream taken by value or a
// second one. It returns false for every other parameter.
func (b *binder) eventStreamParam(v *types.Var) bool {
	t := types.Unalias(v.Type())
	if isRuntime(t, "EventStream") {
		b.diags.Addf(b.pos(v.Pos()), "parameter %s of %s is a kk.EventStream; use *kk.EventStream", v.Name(), funcName(b.fn))
		return true
	}
	p, ok := t.(*types.Pointer)
	if !ok || !isRuntime(p.Elem(), "EventStream") {
		return false
	}
	if b.route.Kind == model.EventStreamRoute {
		b.diags.Addf(b.pos(v.Pos()), "%s takes a second *kk.EventStream (%s); an event-stream handler takes one", funcName(b.fn), v.Name())
		return true
	}
	b.route.Kind = model.EventStreamRoute
	b.route.Args = append(b.route.Args, model.Arg{Name: v.Name(), Source: model.FromEventStream})
	return true
}

// eventStreamRoute checks the rest of an event-stream route: a GET, whose
// handler takes context.Context rather than *kk.Ctx (the response is the
// stream's, not the handler's to write), no body, and returns nothing or
// an error.
func (c *checker) eventStreamRoute(d directive.Directive, r *model.Route, fn *types.Func, body string) bool {
	if r.Kind != model.EventStreamRoute {
		return true
	}
	ok := true
	if r.Method != "GET" {
		c.diags.Addf(d.Args[0].Pos, "%s takes a *kk.EventStream, so its route must be GET, not %s", funcName(fn), r.Method)
		ok = false
	}
	sig := fn.Type().(*types.Signature)
	if r.Ctx == model.KKCtx {
		c.diags.Addf(c.pos(sig.Params().At(0).Pos()), "%s takes a *kk.EventStream, so it takes context.Context, not *kk.Ctx: the stream outlives the request's *kk.Ctx", funcName(fn))
		ok = false
	}
	if body != "" {
		c.diags.Addf(d.Pos, "%s takes a *kk.EventStream and %s; an event-stream handler takes no request body", funcName(fn), body)
		ok = false
	}
	for _, a := range r.Args {
		if a.Source != model.FromEventStream && a.Source != model.FromStruct && a.Value.Decoder == model.DecodeBytes {
			c.diags.Addf(c.pos(fn.Pos()), "parameter %s of %s is a []byte view of the request, which is gone while the stream runs; take a string", a.Name, funcName(fn))
			ok = false
		}
	}
	if r.Result == model.Value || r.Result == model.ValueErr {
		res := types.TypeString(sig.Results(), c.qualifier)
		if sig.Results().Len() == 1 {
			res = types.TypeString(sig.Results().At(0).Type(), c.qualifier)
		}
		c.diags.Addf(c.pos(fn.Pos()), "%s takes a *kk.EventStream, so it returns nothing or error, not %s", funcName(fn), res)
		ok = false
	}
	return ok
}
