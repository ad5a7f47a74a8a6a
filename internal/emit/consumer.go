package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/kommandkit/kk/internal/model"
)

const busPath = "github.com/kommandkit/kk/bus"

// consumers emits, for a package with //kk:consumer funcs:
//
//	// RegisterConsumers registers this package's //kk:consumer funcs on b.
//	func RegisterConsumers(b *bus.Bus) error {
//		if err := bus.Consume(b, "orders.created", Ship); err != nil {
//			return err
//		}
//		if err := bus.Reply(b, "quotes.get", bus.NoCtxReply(Quote), bus.Concurrency(4)); err != nil {
//			return err
//		}
//		return nil
//	}
func consumers(f *jen.File, pkg *model.Package, n *names) {
	if len(pkg.Consumers) == 0 {
		return
	}
	if name := "bus"; n.taken[name] {
		f.ImportAlias(busPath, n.fresh("kkbus"))
	} else {
		f.ImportName(busPath, name)
	}
	b, err := n.local("b", "kkB"), n.local("err", "kkErr")
	body := make([]jen.Code, 0, len(pkg.Consumers)+1)
	for _, c := range pkg.Consumers {
		register, adapt := "Consume", "NoCtx"
		if c.Reply {
			register, adapt = "Reply", "NoCtxReply"
		}
		fn := n.callee(model.Route{Recv: c.Recv, Func: c.Func})
		if c.Ctx == model.NoCtx {
			fn = jen.Qual(busPath, adapt).Call(fn)
		}
		args := []jen.Code{jen.Id(b), jen.Lit(c.Subject), fn}
		if c.Concurrency > 0 {
			args = append(args, jen.Qual(busPath, "Concurrency").Call(jen.Lit(c.Concurrency)))
		}
		body = append(body, jen.If(jen.Id(err).Op(":=").Qual(busPath, register).Call(args...), jen.Id(err).Op("!=").Nil()).Block(
			jen.Return(jen.Id(err)),
		))
	}
	body = append(body, jen.Return(jen.Nil()))
	params, checks := receiverParams(n, "RegisterConsumers", func(r model.Receiver) bool { return r.Bus })
	params = append([]jen.Code{jen.Id(b).Op("*").Qual(busPath, "Bus")}, params...)
	f.Comment("RegisterConsumers registers this package's //kk:consumer funcs on b, each")
	f.Comment("with its subject and options, stopping at the first that fails.")
	f.Comment(receiverComment("Consumers that are methods", params[1:], checks))
	f.Func().Id("RegisterConsumers").Params(params...).Error().Block(append(checks, body...)...)
}
