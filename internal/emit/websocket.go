package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kommandkit/kk/internal/model"
)

// webSocketWrapper emits the kk.Handler of a WebSocket route: check the
// handshake, bind the parameters (either failure answers before any
// upgrade), then hand the bound handler to the runtime, which upgrades
// and runs it on the connection's own goroutine.
//
//	// kkJoin serves GET /rooms/:room/ws with Join, a WebSocket route.
//	func kkJoin(c *kk.Ctx) error {
//		if err := kk.CheckWebSocket(c); err != nil {
//			return err
//		}
//		room := string(kk.ParamAt(c, 0))
//		return kk.UpgradeWebSocket(c, func(ctx context.Context, ws *kk.WebSocket) error {
//			return Join(ctx, room, ws)
//		})
//	}
func webSocketWrapper(f *jen.File, n *names, r model.Route, name string) {
	locals := n.args(r)
	c, errv := jen.Id(n.ctx), jen.Id(n.err)
	ctxName := "_"
	if r.Ctx != model.NoCtx {
		ctxName = "ctx"
		for _, l := range locals {
			if l == ctxName {
				ctxName = "kkWSCtx"
			}
		}
		if n.taken["ctx"] {
			ctxName = "kkWSCtx"
		}
	}
	f.Commentf("%s serves %s %s with %s, a WebSocket route.", name, r.Method, r.Pattern.Raw, r.ServedBy())
	handlerFunc(f, n, r, name, func(g *jen.Group) {
		g.If(errv.Clone().Op(":=").Qual(rt, "CheckWebSocket").Call(c.Clone()), errv.Clone().Op("!=").Nil()).Block(jen.Return(errv.Clone()))
		var args []jen.Code
		if r.Ctx != model.NoCtx {
			args = append(args, jen.Id(ctxName))
		}
		wsName := "_"
		enums := enumList(g, n, r) // constraints.go
		for i, a := range r.Args {
			if a.Source == model.FromWebSocket {
				wsName = locals[i]
				args = append(args, jen.Id(wsName))
				continue
			}
			args = append(args, bindArg(g, n, a, locals[i]))
		}
		enumAnswer(g, n, enums)
		call := n.callee(r).Call(args...)
		body := []jen.Code{jen.Return(call)}
		if r.Result == model.NoResult {
			body = []jen.Code{call, jen.Return(jen.Nil())}
		}
		g.Return(jen.Qual(rt, "UpgradeWebSocket").Call(c.Clone(), jen.Func().Params(
			jen.Id(ctxName).Qual("context", "Context"), jen.Id(wsName).Op("*").Qual(rt, "WebSocket"),
		).Error().Block(body...)))
	})
}
