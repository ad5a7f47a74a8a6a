package check

import (
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"
	"time"

	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/pattern"
)

// group is a file's //kk:group: a prefix, parsed once, and middleware
// for its routes.
type group struct {
	prefix pattern.Pattern
	use    []string
	pos    token.Position // of the prefix
}

// funcExtra are the per-func directives that modify its routes.
type funcExtra struct {
	use       []string
	timeout   time.Duration
	allowBody bool
	bodyLimit int64 // //kk:bodylimit in bytes (bodylimit.go)
}

// modifiers reads //kk:group, //kk:method, //kk:use, //kk:timeout, //kk:allowbody and //kk:bodylimit
// before routes are checked, since routes depend on them.
func (c *checker) modifiers(dirs []directive.Directive) {
	routed := map[*ast.FuncDecl]bool{}
	for _, d := range dirs {
		if fd, ok := d.Decl.(*ast.FuncDecl); ok && d.Kind.Text == "route" {
			routed[fd] = true
		}
	}
	for _, d := range dirs {
		kind := d.Kind.Text
		if kind == "group" {
			c.group(d)
			continue
		}
		if kind == "method" {
			c.declareMethods(d) // methods.go
			continue
		}
		if kind != "use" && kind != "timeout" && kind != "allowbody" && kind != "bodylimit" {
			continue // checked with the declaration it annotates
		}
		fd, _ := d.Decl.(*ast.FuncDecl)
		if fd == nil || !routed[fd] {
			c.diags.Addf(d.Pos, "//kk:%s must annotate a func that has a //kk:route", kind)
			continue
		}
		x := c.funcDirectives[fd]
		switch kind {
		case "use":
			for _, a := range d.Args {
				if c.middleware(a) {
					x.use = append(x.use, a.Text)
				}
			}
		case "timeout":
			dur, err := time.ParseDuration(d.Args[0].Text)
			if err != nil || dur <= 0 {
				c.diags.Addf(d.Args[0].Pos, "timeout %q must be a positive duration such as 2s or 500ms", d.Args[0].Text)
				continue
			}
			if x.timeout != 0 {
				c.diags.Addf(d.Pos, "%s has two //kk:timeout lines", fd.Name.Name)
			}
			x.timeout = dur
		case "allowbody":
			x.allowBody = true
		case "bodylimit":
			c.bodyLimit(d, fd, &x)
		}
		c.funcDirectives[fd] = x
	}
	c.ungrouped(dirs)
}

// ungrouped reports each file whose routes have no //kk:group while
// another file's group adds middleware: its routes would be served at the
// root without that middleware (an auth check, say) and nothing would say
// so. //kk:group / states that a file's routes are meant to go without.
func (c *checker) ungrouped(dirs []directive.Directive) {
	var with *group
	for _, g := range c.groups {
		if len(g.use) > 0 && (with == nil || before(g.pos, with.pos)) {
			with = &g
		}
	}
	if with == nil {
		return
	}
	reported := map[*ast.File]bool{}
	for _, d := range dirs {
		if d.Kind.Text != "route" || reported[d.File] {
			continue
		}
		if hasGroupLine(d.File) {
			continue // grouped, or told where its //kk:group belongs
		}
		reported[d.File] = true
		c.diags.Addf(d.Pos, "this file has no //kk:group, so its routes are served from the root without the middleware of the package's other groups (%s:%d: //kk:group %s use=%s); add //kk:group / above its package clause to mean that, or the group its routes need",
			filepath.Base(with.pos.Filename), with.pos.Line, with.prefix.Raw, strings.Join(with.use, ","))
	}
}

// hasGroupLine reports whether f has a //kk:group line anywhere.
func hasGroupLine(f *ast.File) bool {
	for _, g := range f.Comments {
		for _, c := range g.List {
			if strings.HasPrefix(c.Text, directive.Prefix+"group ") || strings.HasPrefix(c.Text, directive.Prefix+"group\t") {
				return true
			}
		}
	}
	return false
}

func before(a, b token.Position) bool {
	if a.Filename != b.Filename {
		return a.Filename < b.Filename
	}
	return a.Offset < b.Offset
}

// group checks //kk:group PREFIX [use=A,B] on a package clause.
func (c *checker) group(d directive.Directive) {
	if !d.OnFile {
		c.diags.Addf(d.Pos, "//kk:group belongs in the comment directly above the package clause, where it covers the file's routes; here it documents %s", documents(d))
		return
	}
	if _, dup := c.groups[d.File]; dup {
		c.diags.Addf(d.Pos, "a file takes one //kk:group")
		return
	}
	prefix := d.Args[0]
	if !strings.HasPrefix(prefix.Text, "/") {
		c.diags.Addf(prefix.Pos, "group prefix %q must start with \"/\"", prefix.Text)
		return
	}
	pat, errs := pattern.Parse(prefix.Text)
	if len(errs) > 0 {
		c.diags.Addf(at(prefix.Pos, errs[0].Offset), "group prefix: %s", errs[0].Msg)
		return
	}
	g := group{prefix: pat, pos: prefix.Pos}
	for _, a := range d.Args[1:] {
		names, ok := strings.CutPrefix(a.Text, "use=")
		if !ok {
			c.diags.Addf(a.Pos, "unknown //kk:group option %q (known: use=NAME,...)", a.Text)
			continue
		}
		off := len("use=")
		for _, n := range strings.Split(names, ",") {
			tok := directive.Token{Text: n, Pos: a.Pos}
			tok.Pos.Column += off
			off += len(n) + 1
			if c.middleware(tok) {
				g.use = append(g.use, n)
			}
		}
	}
	c.groups[d.File] = g
}

// documents names the declaration a misplaced package-clause directive
// documents.
func documents(d directive.Directive) string {
	if gd, ok := d.Decl.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
		return "the imports"
	}
	return describe(d)
}

// middleware checks that name is a package-level func(kk.Handler)
// kk.Handler or a var of type kk.Middleware, or Type.Method naming such a
// method of a type of the package.
func (c *checker) middleware(name directive.Token) bool {
	if strings.Contains(name.Text, ".") {
		fn := c.middlewareMethod(name) // receiver.go
		if fn != nil {
			c.mwMethods[name.Text] = fn
		}
		return fn != nil
	}
	obj := c.pkg.Types.Scope().Lookup(name.Text)
	if obj == nil {
		c.diags.Addf(name.Pos, "unknown middleware %q: want a package-level kk.Middleware var or func(next kk.Handler) kk.Handler", name.Text)
		return false
	}
	switch o := obj.(type) {
	case *types.Func:
		if o.Type().(*types.Signature).TypeParams().Len() > 0 {
			c.diags.Addf(name.Pos, "%s is generic; a middleware named in //kk:use must not be", name.Text)
			return false
		}
	case *types.Var:
	default:
		c.diags.Addf(name.Pos, "%s is not a middleware: want a package-level kk.Middleware var or func(next kk.Handler) kk.Handler", name.Text)
		return false
	}
	sig, ok := obj.Type().Underlying().(*types.Signature)
	if !ok || sig.Params().Len() != 1 || sig.Results().Len() != 1 || !isHandler(sig.Params().At(0).Type()) || !isHandler(sig.Results().At(0).Type()) {
		c.diags.Addf(name.Pos, "%s has type %s; a middleware is func(next kk.Handler) kk.Handler", name.Text, types.TypeString(obj.Type(), c.qualifier))
		return false
	}
	return true
}

// isHandler reports whether t is kk.Handler or func(*kk.Ctx) error.
func isHandler(t types.Type) bool {
	sig, ok := t.Underlying().(*types.Signature)
	return ok && sig.Params().Len() == 1 && ctxKind(sig.Params().At(0).Type()) == model.KKCtx &&
		sig.Results().Len() == 1 && isError(sig.Results().At(0).Type())
}
