package check

import (
	"go/types"
	"strconv"
	"strings"

	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/subject"
)

// consumer checks //kk:consumer SUBJECT [concurrency=N] on a func or
// method([context.Context,] T) error or func([context.Context,] T) (R, error),
// whose T and R JSON can carry.
func (c *checker) consumer(d directive.Directive) {
	subj := d.Args[0]
	ok := true
	if err := subject.Validate(subj.Text, true); err != nil {
		c.diags.Addf(subj.Pos, "//kk:consumer: %v", err)
		ok = false
	}
	m := model.Consumer{Subject: subj.Text, Pos: d.Pos}
	for _, opt := range d.Args[1:] {
		val, found := strings.CutPrefix(opt.Text, "concurrency=")
		n, err := strconv.Atoi(val)
		switch {
		case !found:
			c.diags.Addf(opt.Pos, "unknown //kk:consumer option %q; the option is concurrency=N", opt.Text)
			ok = false
		case err != nil || n < 1 || val[0] < '0' || val[0] > '9':
			c.diags.Addf(opt.Pos, "concurrency %q must be a whole number of at least 1", val)
			ok = false
		default:
			m.Concurrency = n
		}
	}
	fd, fn := c.funcTarget(d)
	if fd == nil {
		return
	}
	m.Func, m.Recv = fn.Name(), recvName(fn)
	if !c.consumerSignature(fn, &m) {
		ok = false
	}
	for _, prev := range c.out.Consumers {
		if prev.Subject == m.Subject && prev.Func == m.Func && prev.Recv == m.Recv {
			c.diags.Addf(d.Pos, "%s already consumes %s at %s; a func consumes a subject once", funcName(fn), m.Subject, prev.Pos)
			ok = false
		}
	}
	if ok {
		c.out.Consumers = append(c.out.Consumers, m)
		c.useReceiver(fn, false)
	}
}

// consumerNames reports a package-level RegisterConsumers in a package with
// consumers: kk_gen.go declares it.
func (c *checker) consumerNames() {
	if len(c.out.Consumers) == 0 {
		return
	}
	if obj := c.pkg.Types.Scope().Lookup("RegisterConsumers"); obj != nil {
		c.diags.Addf(c.pos(obj.Pos()), "RegisterConsumers is declared by the generated kk_gen.go of a package with consumers; rename this declaration")
	}
}

const consumerShape = "want func([ctx context.Context,] msg T) error or func([ctx context.Context,] msg T) (R, error)"

// consumerSignature checks fn's parameters and results and fills in m.
func (c *checker) consumerSignature(fn *types.Func, m *model.Consumer) bool {
	sig := fn.Type().(*types.Signature)
	p, res := sig.Params(), sig.Results()
	bad := func() bool {
		c.diags.Addf(c.pos(fn.Pos()), "%s is annotated //kk:consumer but has type %s; %s", funcName(fn), types.TypeString(sig, c.qualifier), consumerShape)
		return false
	}
	if sig.Variadic() || p.Len() == 0 || p.Len() > 2 {
		return bad()
	}
	if p.Len() == 2 {
		if ctxKind(p.At(0).Type()) != model.ContextCtx {
			return bad()
		}
		m.Ctx = model.ContextCtx
	}
	msg := p.At(p.Len() - 1).Type()
	if ctxKind(msg) != model.NoCtx {
		return bad()
	}
	switch {
	case res.Len() == 1 && isError(res.At(0).Type()):
	case res.Len() == 2 && isError(res.At(1).Type()) && !isError(res.At(0).Type()):
		m.Reply = true
	default:
		return bad()
	}
	ok := true
	if why := c.jsonProblem(msg, true); why != "" {
		c.diags.Addf(c.pos(fn.Pos()), "%s consumes %s, which JSON cannot carry: %s", funcName(fn), types.TypeString(msg, c.qualifier), why)
		ok = false
	}
	if m.Reply {
		if why := c.jsonProblem(res.At(0).Type(), false); why != "" {
			c.diags.Addf(c.pos(fn.Pos()), "%s replies with %s, which JSON cannot carry: %s", funcName(fn), types.TypeString(res.At(0).Type(), c.qualifier), why)
			ok = false
		}
	}
	return ok
}
