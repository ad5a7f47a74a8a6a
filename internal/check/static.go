package check

import (
	"go/ast"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/pattern"
)

// StaticParam is the name of the catch-all a //kk:static route binds.
const StaticParam = "path"

// static checks one //kk:static PREFIX [DIR] and adds its route: GET
// PREFIX/*path, served by kk.Static from the var (HEAD comes with GET).
//
// PREFIX is a plain path: it starts with "/", has no parameters, catch-alls,
// empty, "." or ".." segments, no "?", "#", "%" or "\", and no trailing
// slash ("/assets", not "/assets/"), except that "/" alone serves the whole
// site. DIR is a valid fs.FS path; for an embed.FS it must be a directory
// the var's //go:embed patterns embed.
func (c *checker) static(d directive.Directive) {
	prefix := d.Args[0]
	ok := c.staticPrefix(prefix)
	dir := ""
	if len(d.Args) == 2 {
		dir = d.Args[1].Text
		if !fs.ValidPath(dir) || dir == "." {
			c.diags.Addf(d.Args[1].Pos, "//kk:static directory %q must be a relative slash-separated path without \".\", \"..\" or empty segments, such as public or web/dist", dir)
			ok = false
			dir = ""
		}
	}
	name, obj := c.staticVar(d)
	if obj == nil {
		return
	}
	embedded := isEmbedFS(obj.Type())
	if !embedded && !implementsFS(obj.Type()) {
		c.diags.Addf(d.Pos, "//kk:static needs a var whose type implements fs.FS (Open(name string) (fs.File, error)); %s has type %s",
			name, types.TypeString(obj.Type(), c.qualifier))
		return
	}
	if embedded && dir != "" {
		if msg := c.embedsDir(d, dir); msg != "" {
			c.diags.Addf(d.Args[1].Pos, "//kk:static directory %q is not in the embed.FS %s: %s", dir, name, msg)
			ok = false
		}
	}
	if !ok {
		return
	}
	raw := strings.TrimSuffix(prefix.Text, "/") + "/*" + StaticParam
	pat, perrs := pattern.Parse(raw)
	if len(perrs) > 0 {
		c.diags.Addf(prefix.Pos, "//kk:static prefix %q: %s", prefix.Text, perrs[0].Msg)
		return
	}
	for _, prev := range c.out.Routes {
		if prev.Static != nil && prev.Static.Prefix == prefix.Text {
			c.diags.Addf(d.Pos, "duplicate //kk:static %s (%s): %s already serves it at %s", prefix.Text, name, prev.Func, prev.Pos)
			return
		}
	}
	c.out.Routes = append(c.out.Routes, model.Route{
		Method: "GET", Pattern: pat, Func: name, Pos: d.Pos, Result: model.ErrOnly,
		Static: &model.Static{Prefix: prefix.Text, Dir: dir},
	})
}

// staticPrefix reports the problems of a //kk:static PREFIX.
func (c *checker) staticPrefix(t directive.Token) bool {
	p := t.Text
	bad := func(format string, args ...any) bool {
		c.diags.Addf(t.Pos, "//kk:static prefix %q "+format, append([]any{p}, args...)...)
		return false
	}
	switch {
	case !strings.HasPrefix(p, "/"):
		return bad("must start with \"/\"")
	case p == "/":
		return true
	case strings.HasSuffix(p, "/"):
		return bad("must not end with \"/\": write %q, which serves %s/...", strings.TrimRight(p, "/"), strings.TrimRight(p, "/"))
	}
	if i := strings.IndexAny(p, "?#%\\"); i >= 0 {
		return bad("must not contain %q: it is a plain decoded path", p[i:i+1])
	}
	for _, seg := range strings.Split(p[1:], "/") {
		switch {
		case seg == "":
			return bad("has an empty segment (\"//\")")
		case seg == "." || seg == "..":
			return bad("has a %q segment", seg)
		case strings.HasPrefix(seg, ":"):
			return bad("must be a plain path: %q would be a parameter", seg)
		case strings.HasPrefix(seg, "*"):
			return bad("must be a plain path: %q would be a catch-all; //kk:static serves PREFIX/*path itself", seg)
		}
	}
	return true
}

// staticVar is the package-level var a //kk:static annotates, or nil after
// reporting why there is none.
func (c *checker) staticVar(d directive.Directive) (string, *types.Var) {
	gd, isGen := d.Decl.(*ast.GenDecl)
	vs, isVal := d.Spec.(*ast.ValueSpec)
	if !isGen || gd.Tok != token.VAR || !isVal {
		c.diags.Addf(d.Pos, "//kk:static must annotate a package-level var of an fs.FS type, not %s", describe(d))
		return "", nil
	}
	if len(vs.Names) != 1 {
		c.diags.Addf(d.Pos, "//kk:static must annotate a var declaring one name, not %d", len(vs.Names))
		return "", nil
	}
	if vs.Names[0].Name == "_" {
		c.diags.Addf(d.Pos, "//kk:static cannot serve the blank var _")
		return "", nil
	}
	v, _ := c.pkg.TypesInfo.Defs[vs.Names[0]].(*types.Var)
	if v == nil {
		return "", nil // a type error already reported by load
	}
	return v.Name(), v
}

// isEmbedFS reports whether t is embed.FS.
func isEmbedFS(t types.Type) bool {
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "embed" && n.Obj().Name() == "FS"
}

// implementsFS reports whether a value of type t has io/fs.FS's method:
// Open(name string) (fs.File, error). It is checked by shape, since the
// package need not import io/fs.
func implementsFS(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, false, nil, "Open")
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := fn.Type().(*types.Signature)
	if sig.Params().Len() != 1 || sig.Results().Len() != 2 || sig.Variadic() {
		return false
	}
	if b, ok := sig.Params().At(0).Type().(*types.Basic); !ok || b.Kind() != types.String {
		return false
	}
	file, ok := sig.Results().At(0).Type().(*types.Named)
	if !ok || file.Obj().Pkg() == nil || file.Obj().Pkg().Path() != "io/fs" || file.Obj().Name() != "File" {
		return false
	}
	return types.Identical(sig.Results().At(1).Type(), types.Universe.Lookup("error").Type())
}

// embedsDir says why dir is not a directory that the //go:embed lines
// above the annotated var embed, or "" when it is. Patterns are matched
// as the go command does, relative to the file's directory: a pattern
// naming a directory embeds the files below it.
func (c *checker) embedsDir(d directive.Directive, dir string) string {
	base := filepath.Dir(c.fset.File(d.File.Pos()).Name())
	var patterns []string
	for _, doc := range []*ast.CommentGroup{d.Spec.(*ast.ValueSpec).Doc, d.Decl.(*ast.GenDecl).Doc} {
		if doc == nil {
			continue
		}
		for _, cm := range doc.List {
			if rest, ok := strings.CutPrefix(cm.Text, "//go:embed"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
				patterns = append(patterns, embedPatterns(rest)...)
			}
		}
	}
	if len(patterns) == 0 {
		return "it has no //go:embed patterns"
	}
	for _, p := range patterns {
		p = strings.TrimPrefix(p, "all:")
		matches, _ := filepath.Glob(filepath.Join(base, filepath.FromSlash(p)))
		for _, m := range matches {
			rel, err := filepath.Rel(base, m)
			if err != nil {
				continue
			}
			rel = filepath.ToSlash(rel)
			st, err := os.Stat(m)
			if err != nil {
				continue
			}
			switch {
			case rel == dir && st.IsDir():
				return ""
			case st.IsDir() && strings.HasPrefix(dir, rel+"/"):
				// dir is below an embedded directory: it must exist there
				if st, err := os.Stat(filepath.Join(base, filepath.FromSlash(dir))); err == nil && st.IsDir() && !hiddenBelow(dir, rel) {
					return ""
				}
			case strings.HasPrefix(rel, dir+"/"):
				return "" // a file or directory below dir is embedded
			}
		}
	}
	return "the var embeds " + strings.Join(patterns, " ") + ", and no directory " + strconv.Quote(dir) + " among them"
}

// hiddenBelow reports whether a segment of dir below root starts with "."
// or "_", which the go command leaves out of an embedded directory.
func hiddenBelow(dir, root string) bool {
	for _, seg := range strings.Split(strings.TrimPrefix(dir, root+"/"), "/") {
		if strings.HasPrefix(seg, ".") || strings.HasPrefix(seg, "_") {
			return true
		}
	}
	return false
}

// embedPatterns splits the arguments of a //go:embed line: space-separated,
// with Go string syntax for quoted ones.
func embedPatterns(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' || s[0] == '`' {
			end := strings.IndexByte(s[1:], s[0])
			if end < 0 {
				return out
			}
			q, err := strconv.Unquote(s[:end+2])
			if err == nil {
				out = append(out, q)
			}
			s = s[end+2:]
			continue
		}
		i := strings.IndexAny(s, " \t")
		if i < 0 {
			i = len(s)
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}
