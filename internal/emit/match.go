package emit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/radix"
)

// match emits the matcher: a switch on the method, then one function per
// method unrolled from its radix tree.
//
//	func kkMatch(method string, p []byte, ps *kk.Params) int {
//		switch method {
//		case "GET":
//			return kkMatchGET(p, ps)
//		}
//		return -1
//	}
func match(f *jen.File, pkg *model.Package, trees []radix.Tree, n *names) {
	f.Comment("kkMatch returns the index of the route for method and the decoded path")
	f.Comment("p, writing its path parameters to ps, or -1 when none matches.")
	f.Func().Id("kkMatch").Params(jen.Id("method").String(), jen.Id("p").Index().Byte(), jen.Id("ps").Op("*").Qual(rt, "Params")).Int().BlockFunc(func(g *jen.Group) {
		if len(trees) > 0 {
			g.Switch(jen.Id("method")).BlockFunc(func(sw *jen.Group) {
				for _, t := range trees {
					sw.Case(jen.Lit(t.Method)).Block(jen.Return(jen.Id(n.matchers[t.Method]).Call(jen.Id("p"), jen.Id("ps"))))
				}
			})
		}
		g.Return(jen.Lit(-1))
	})
	for _, t := range trees {
		m := matcher{pkg: pkg}
		f.Commentf("%s matches %s routes: static segments before parameters before", n.matchers[t.Method], t.Method)
		f.Comment("catch-alls, falling through to the next alternative when a branch fails.")
		f.Func().Id(n.matchers[t.Method]).Params(jen.Id("p").Index().Byte(), jen.Id("ps").Op("*").Qual(rt, "Params")).Int().BlockFunc(func(g *jen.Group) {
			m.node(g, t.Root, pos{})
			g.Return(jen.Lit(-1))
		})
	}
}

// pos is a position in the path: a variable (the end of the last
// parameter, or none) plus a constant offset.
type pos struct {
	v string
	k int
}

func (p pos) add(n int) pos { return pos{p.v, p.k + n} }

func (p pos) code() *jen.Statement {
	switch {
	case p.v == "":
		return jen.Lit(p.k)
	case p.k == 0:
		return jen.Id(p.v)
	default:
		return jen.Id(p.v).Op("+").Lit(p.k)
	}
}

type matcher struct{ pkg *model.Package }

func (m matcher) describe(i int) string {
	r := m.pkg.Routes[i]
	return fmt.Sprintf("%s %s → %s", r.Method, r.Pattern.Raw, r.ServedBy())
}

// node emits the tests for the path from at onward, n's prefix already
// consumed. Each alternative returns on success and falls out of its block
// on failure, so the next one is tried:
//
//	if len(p) == 7 {
//		return 0 // GET /users/ → ListUsers
//	}
//	// Prefix: "new"
//	if len(p) >= 10 && string(p[7:10]) == "new" { ... }
//	// Param: id
//	if i0 := kk.SegmentEnd(p, 7); i0 > 7 {
//		ps[0] = p[7:i0]
//		...
//	}
func (m matcher) node(g *jen.Group, n *radix.Node, at pos) {
	// A node is entered with len(p) >= at. Once a route ending here has
	// returned for len(p) == at, len(p) > at is known and not tested again.
	longer := n.Route >= 0
	if longer {
		g.If(jen.Len(jen.Id("p")).Op("==").Add(at.code())).Block(
			jen.Return(jen.Lit(n.Route)).Comment(m.describe(n.Route)),
		)
	}
	switch len(n.Statics) {
	case 0:
	case 1:
		m.static(g, n.Statics[0], at, 0, longer)
	default:
		sw := jen.Switch(jen.Id("p").Index(at.code())).BlockFunc(func(sw *jen.Group) {
			for _, c := range n.Statics {
				sw.Case(byteLit(c.Prefix[0])).BlockFunc(func(cg *jen.Group) {
					m.static(cg, c, at, 1, false)
				})
			}
		})
		if longer {
			g.Add(sw)
		} else {
			g.If(jen.Len(jen.Id("p")).Op(">").Add(at.code())).Block(sw)
		}
	}
	if c := n.Param; c != nil {
		end := fmt.Sprintf("i%d", c.ParamIndex)
		g.Comment("Param: " + m.paramNames(c, c.ParamIndex))
		g.If(
			jen.Id(end).Op(":=").Qual(rt, "SegmentEnd").Call(jen.Id("p"), at.code()),
			jen.Id(end).Op(">").Add(at.code()),
		).BlockFunc(func(pg *jen.Group) {
			pg.Id("ps").Index(jen.Lit(c.ParamIndex)).Op("=").Id("p").Index(at.code(), jen.Id(end))
			m.node(pg, c, pos{v: end})
		})
	}
	if n.CatchAll >= 0 {
		g.Comment("Catch-all: " + m.pkg.Routes[n.CatchAll].Pattern.Params()[n.CatchIndex])
		g.Id("ps").Index(jen.Lit(n.CatchIndex)).Op("=").Id("p").Index(at.code(), jen.Empty())
		g.Return(jen.Lit(n.CatchAll)).Comment(m.describe(n.CatchAll))
	}
}

// static emits the test for static child c, whose first known bytes
// (already checked by a switch) are skipped; longer says len(p) > at is
// already known.
func (m matcher) static(g *jen.Group, c *radix.Node, at pos, known int, longer bool) {
	end := at.add(len(c.Prefix))
	g.Comment(fmt.Sprintf("Prefix: %q", c.Prefix))
	if known == len(c.Prefix) {
		m.node(g, c, end)
		return
	}
	var test *jen.Statement
	if rest := c.Prefix[known:]; len(rest) == 1 {
		// One byte: compare it directly.
		test = jen.Id("p").Index(at.add(known).code()).Op("==").Add(byteLit(rest[0]))
		if !longer {
			test = jen.Len(jen.Id("p")).Op(">").Add(at.add(known).code()).Op("&&").Add(test)
		}
	} else {
		test = jen.Len(jen.Id("p")).Op(">=").Add(end.code()).Op("&&").
			String().Call(jen.Id("p").Index(at.add(known).code(), end.code())).Op("==").Lit(rest)
	}
	g.If(test).BlockFunc(func(bg *jen.Group) { m.node(bg, c, end) })
}

// byteLit is a byte as a readable rune literal ('a') when printable.
func byteLit(b byte) jen.Code {
	if b >= 0x20 && b < 0x7f {
		return jen.LitRune(rune(b))
	}
	return jen.LitByte(b)
}

// paramNames lists the names routes below n give the parameter at index i.
func (m matcher) paramNames(n *radix.Node, i int) string {
	seen := map[string]bool{}
	var walk func(n *radix.Node)
	add := func(route int) {
		if ps := m.pkg.Routes[route].Pattern.Params(); i < len(ps) {
			seen[ps[i]] = true
		}
	}
	walk = func(n *radix.Node) {
		if n.Route >= 0 {
			add(n.Route)
		}
		if n.CatchAll >= 0 {
			add(n.CatchAll)
		}
		for _, c := range n.Statics {
			walk(c)
		}
		if n.Param != nil {
			walk(n.Param)
		}
	}
	walk(n)
	names := make([]string, 0, len(seen))
	for s := range seen {
		names = append(names, s)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
