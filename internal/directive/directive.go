// Package directive finds the //kk: lines of a package's files, splits them
// into tokens that each keep their own position, and says which declaration
// each one annotates.
package directive

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"github.com/kommandkit/kk/internal/diag"
)

// Prefix starts every kk directive. Like //go: directives it has no space
// after the slashes; "// kk:route" is an ordinary comment.
const Prefix = "//kk:"

// Known directive kinds and how many arguments each takes.
var arity = map[string][2]int{
	"route":        {2, 3},   // METHOD PATTERN [STATUS]
	"error":        {1, 1},   // STATUS
	"errorhandler": {1, 1},   // STATUS
	"use":          {1, 100}, // MIDDLEWARE...
	"group":        {1, 100}, // PREFIX [use=A,B]
	"timeout":      {1, 1},   // DURATION
	"allowbody":    {0, 0},
	"static":       {1, 2},   // PREFIX [DIR]
	"bodylimit":    {1, 1},   // SIZE
	"consumer":     {1, 2},   // SUBJECT [concurrency=N]
	"method":       {1, 100}, // EXTENSION-METHOD...
	"security":     {1, 3},   // bearer | basic | apikey IN NAME
}

// Token is one space-separated word of a directive.
type Token struct {
	Text string
	Pos  token.Position
}

// Directive is one //kk: line and the declaration it annotates.
type Directive struct {
	Kind   Token   // "route", "error", ...
	Args   []Token // the words after the kind
	Pos    token.Position
	File   *ast.File
	Decl   ast.Decl // *ast.FuncDecl or *ast.GenDecl
	Spec   ast.Spec // for a GenDecl: the *ast.ValueSpec or *ast.TypeSpec
	OnFile bool     // in the comment above the package clause (Decl is nil)
}

// Parse returns the well-formed directives of files. A directive that is not
// in the doc comment of a top-level declaration, names an unknown kind, or
// has the wrong number of arguments is reported instead.
func Parse(fset *token.FileSet, files []*ast.File) ([]Directive, diag.List) {
	var out []Directive
	var diags diag.List
	for _, f := range files {
		owners := docOwners(f)
		for _, g := range f.Comments {
			for _, c := range g.List {
				if !strings.HasPrefix(c.Text, Prefix) {
					continue
				}
				d, ok := lex(fset, c)
				if !ok {
					diags.Addf(d.Pos, "malformed directive %q: want //kk:KIND ARGS", c.Text)
					continue
				}
				want, known := arity[d.Kind.Text]
				switch {
				case !known:
					diags.Addf(d.Kind.Pos, "unknown directive //kk:%s (known: //kk:route, //kk:error, //kk:errorhandler, //kk:use, //kk:group, //kk:timeout, //kk:allowbody, //kk:static, //kk:bodylimit, //kk:consumer, //kk:method, //kk:security)", d.Kind.Text)
					continue
				case len(d.Args) < want[0] || len(d.Args) > want[1]:
					diags.Addf(d.Pos, "//kk:%s takes %s, got %q", d.Kind.Text, usage[d.Kind.Text], strings.TrimPrefix(c.Text, Prefix))
					continue
				}
				o, ok := owners[g]
				if !ok {
					diags.Addf(d.Pos, "%s", misplaced(f, c, d.Kind.Text))
					continue
				}
				d.File, d.Decl, d.Spec, d.OnFile = f, o.decl, o.spec, o.file
				out = append(out, d)
			}
		}
	}
	return out, diags
}

var usage = map[string]string{
	"route":        "METHOD PATTERN [STATUS]",
	"error":        "STATUS",
	"errorhandler": "STATUS",
	"use":          "one or more middleware names",
	"group":        "PREFIX [use=NAME,...]",
	"timeout":      "a duration such as 2s",
	"allowbody":    "no arguments",
	"static":       "PREFIX [DIR]",
	"bodylimit":    "a size such as 512KiB, 64MiB or 1GiB",
	"consumer":     "SUBJECT [concurrency=N]",
	"method":       "one or more extension method names such as M-SEARCH",
	"security":     "bearer, basic, or apikey header|query|cookie NAME",
}

// packageKinds are the directives that belong above the package clause.
var packageKinds = map[string]string{
	"group":  "covers the file's routes",
	"method": "declares extension methods for the package",
}

// misplaced says where a directive that documents nothing belongs, and why
// it was not taken to be there.
func misplaced(f *ast.File, c *ast.Comment, kind string) string {
	if why, ok := packageKinds[kind]; ok {
		if c.Pos() > f.Package {
			return fmt.Sprintf("//kk:%s is below the package clause: move it into the comment directly above \"package %s\", where it %s", kind, f.Name.Name, why)
		}
		return fmt.Sprintf("//kk:%s is separated from the package clause by a blank line, so it is not the package's doc comment: remove the blank line so that it %s", kind, why)
	}
	return fmt.Sprintf("//kk:%s documents nothing: put it in the doc comment of a top-level declaration, directly above it with no blank line between", kind)
}

type owner struct {
	decl ast.Decl
	spec ast.Spec
	file bool
}

// docOwners maps each doc comment group of a top-level declaration (or of a
// spec inside a grouped var/type/const declaration) to what it documents.
func docOwners(f *ast.File) map[*ast.CommentGroup]owner {
	m := map[*ast.CommentGroup]owner{}
	if f.Doc != nil {
		m[f.Doc] = owner{file: true}
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Doc != nil {
				m[d.Doc] = owner{decl: d}
			}
		case *ast.GenDecl:
			if d.Doc != nil {
				o := owner{decl: d}
				if len(d.Specs) == 1 {
					o.spec = d.Specs[0]
				}
				m[d.Doc] = o
			}
			for _, s := range d.Specs {
				var doc *ast.CommentGroup
				switch s := s.(type) {
				case *ast.ValueSpec:
					doc = s.Doc
				case *ast.TypeSpec:
					doc = s.Doc
				}
				if doc != nil {
					m[doc] = owner{decl: d, spec: s}
				}
			}
		}
	}
	return m
}

// lex splits one comment into the kind and argument tokens.
func lex(fset *token.FileSet, c *ast.Comment) (Directive, bool) {
	d := Directive{Pos: fset.Position(c.Slash)}
	body := c.Text[len(Prefix):]
	base := len(Prefix)
	var toks []Token
	for i := 0; i < len(body); {
		if body[i] == ' ' || body[i] == '\t' {
			i++
			continue
		}
		j := i
		for j < len(body) && body[j] != ' ' && body[j] != '\t' {
			j++
		}
		pos := fset.Position(c.Slash + token.Pos(base+i))
		toks = append(toks, Token{Text: body[i:j], Pos: pos})
		i = j
	}
	if len(toks) == 0 || body[0] == ' ' || body[0] == '\t' {
		return d, false
	}
	d.Kind, d.Args = toks[0], toks[1:]
	return d, true
}
