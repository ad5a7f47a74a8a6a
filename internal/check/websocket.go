package check

import (
	"go/types"

	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/model"
)

// A handler with a *kk.WebSocket parameter is a WebSocket route: GET only,
// its other parameters bound before the upgrade, and nothing that belongs
// to the request once it is over (no *kk.Ctx, no body, no result value).

// webSocketParam binds v when it is the route's *kk.WebSocket, reporting a
// kk.WebSocket taken by value or a second one. It returns false for any
// other parameter.
func (b *binder) webSocketParam(v *types.Var) bool {
	t := types.Unalias(v.Type())
	byValue := isRuntime(t, "WebSocket")
	p, isPtr := t.(*types.Pointer)
	if !byValue && !(isPtr && isRuntime(p.Elem(), "WebSocket")) {
		return false
	}
	at := b.pos(v.Pos())
	switch {
	case byValue:
		b.diags.Addf(at, "parameter %s of %s is a kk.WebSocket; use *kk.WebSocket", v.Name(), funcName(b.fn))
		b.wsBad = true
	case b.route.Kind == model.WebSocketRoute:
		b.diags.Addf(at, "%s takes a second *kk.WebSocket (%s); a WebSocket route has one connection", funcName(b.fn), v.Name())
		b.wsBad = true
	default:
		b.route.Kind = model.WebSocketRoute
		b.route.Args = append(b.route.Args, model.Arg{Name: argName(v), Source: model.FromWebSocket})
	}
	return true
}

// argName is v's name, or "ws" for an unnamed parameter.
func argName(v *types.Var) string {
	if v.Name() == "" || v.Name() == "_" {
		return "ws"
	}
	return v.Name()
}

// webSocketRoute checks the rules of a WebSocket route once its
// parameters are bound.
func (c *checker) webSocketRoute(d directive.Directive, fn *types.Func, sig *types.Signature, r *model.Route, b *binder) bool {
	ok := !b.wsBad
	if r.Kind != model.WebSocketRoute {
		return ok
	}
	name := funcName(fn)
	if r.Method != "GET" {
		c.diags.Addf(d.Args[0].Pos, "%s takes a *kk.WebSocket, so its route must be GET, not %s: a WebSocket handshake is a GET request", name, r.Method)
		ok = false
	}
	if len(d.Args) == 3 {
		c.diags.Addf(d.Args[2].Pos, "%s is a WebSocket route, which answers 101 Switching Protocols; drop the status", name)
		ok = false
	}
	if r.Ctx == model.KKCtx {
		c.diags.Addf(c.pos(sig.Params().At(0).Pos()), "WebSocket handler %s takes *kk.Ctx, which is recycled once the request is upgraded; take context.Context instead", name)
		ok = false
	}
	if b.body != "" {
		c.diags.Addf(b.bodyAt, "WebSocket handler %s takes a request body through %s; a WebSocket handshake has no body", name, b.body)
		ok = false
	}
	switch r.Result {
	case model.Value, model.ValueErr:
		res := types.TypeString(sig.Results(), c.qualifier)
		if sig.Results().Len() == 1 {
			res = types.TypeString(sig.Results().At(0).Type(), c.qualifier)
		}
		c.diags.Addf(c.pos(fn.Pos()), "WebSocket handler %s returns %s; it returns nothing or error (nil closes with 1000, an error with 1011)", name, res)
		ok = false
	}
	return ok
}
