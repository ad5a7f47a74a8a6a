package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kommandkit/kk/internal/model"
)

// eventStreamWrapper emits the kk.Handler of an event-stream route: bind
// the other arguments as usual (a failure is their 4xx), then hand the
// call to the runtime, which answers text/event-stream and runs the
// handler on the stream with the stream's context.
//
//	// kkEvents serves GET /topics/:topic/events with Events.
//	func kkEvents(c *kk.Ctx) error {
//		topic := string(kk.ParamAt(c, 0))
//		return kk.ServeEventStream(c, func(es *kk.EventStream) error {
//			return Events(es.Context(), topic, es)
//		})
//	}
func eventStreamWrapper(f *jen.File, n *names, r model.Route, name string) {
	locals := n.args(r)
	c := jen.Id(n.ctx)
	stream := ""
	for i, a := range r.Args {
		if a.Source == model.FromEventStream {
			stream = locals[i]
		}
	}
	f.Commentf("%s serves %s %s with %s.", name, r.Method, r.Pattern.Raw, r.ServedBy())
	handlerFunc(f, n, r, name, func(g *jen.Group) {
		var args []jen.Code
		if r.Ctx == model.ContextCtx {
			args = append(args, jen.Id(stream).Dot("Context").Call())
		}
		enums := enumList(g, n, r) // constraints.go
		for i, a := range r.Args {
			if a.Source == model.FromEventStream {
				args = append(args, jen.Id(stream))
				continue
			}
			args = append(args, bindArg(g, n, a, locals[i]))
		}
		enumAnswer(g, n, enums)
		call := n.callee(r).Call(args...)
		g.Return(jen.Qual(rt, "ServeEventStream").Call(c.Clone(),
			jen.Func().Params(jen.Id(stream).Op("*").Qual(rt, "EventStream")).Error().BlockFunc(func(fg *jen.Group) {
				if r.Result == model.ErrOnly {
					fg.Return(call)
					return
				}
				fg.Add(call)
				fg.Return(jen.Nil())
			})))
	})
}
