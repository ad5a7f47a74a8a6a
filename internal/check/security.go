package check

import (
	"go/ast"
	"go/types"

	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/model"
)

// security checks //kk:security bearer | basic | apikey IN NAME on a
// middleware func, var or method, and records the scheme under the name
// //kk:use and //kk:group use= give that middleware. The API document
// gives the requirement, and its 401, to exactly the routes it wraps.
func (c *checker) security(d directive.Directive) {
	var name directive.Token
	name.Pos = d.Pos
	var doc *ast.CommentGroup
	switch decl := d.Decl.(type) {
	case *ast.FuncDecl:
		name.Text, doc = decl.Name.Name, decl.Doc
		if decl.Recv != nil {
			fn, _ := c.pkg.TypesInfo.Defs[decl.Name].(*types.Func)
			if fn == nil {
				return // a type error already reported by load
			}
			name.Text = funcName(fn)
		}
	case *ast.GenDecl:
		if vs, ok := d.Spec.(*ast.ValueSpec); ok && !isConst(decl) && len(vs.Names) == 1 {
			name.Text, doc = vs.Names[0].Name, vs.Doc
			if doc == nil {
				doc = decl.Doc
			}
		}
	}
	if name.Text == "" {
		c.diags.Addf(d.Pos, "//kk:security must annotate a middleware func, var or method, not %s", describe(d))
		return
	}
	s := model.Security{Doc: docText(doc)}
	kind := d.Args[0]
	switch {
	case kind.Text == "bearer" && len(d.Args) == 1:
		s.Kind = model.BearerSecurity
	case kind.Text == "basic" && len(d.Args) == 1:
		s.Kind = model.BasicSecurity
	case kind.Text == "apikey" && len(d.Args) == 3:
		s.Kind, s.In, s.Key = model.APIKeySecurity, d.Args[1].Text, d.Args[2].Text
		if s.In != "header" && s.In != "query" && s.In != "cookie" {
			c.diags.Addf(d.Args[1].Pos, "an API key is sent in a header, query or cookie, not %q", s.In)
			return
		}
	default:
		c.diags.Addf(kind.Pos, "//kk:security takes bearer, basic, or apikey header|query|cookie NAME, got %q", joinArgs(d.Args))
		return
	}
	if !c.middleware(name) {
		return
	}
	if _, dup := c.out.Security[name.Text]; dup {
		c.diags.Addf(d.Pos, "%s has two //kk:security lines", name.Text)
		return
	}
	if c.out.Security == nil {
		c.out.Security = map[string]model.Security{}
	}
	c.out.Security[name.Text] = s
}

func isConst(d *ast.GenDecl) bool { return d.Tok.String() == "const" }

func joinArgs(ts []directive.Token) string {
	s := ""
	for i, t := range ts {
		if i > 0 {
			s += " "
		}
		s += t.Text
	}
	return s
}
