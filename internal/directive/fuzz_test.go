package directive

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// FuzzParse runs Parse on arbitrary Go files and checks what must hold for
// any input: no panic; every //kk: line ends up either as exactly one
// directive or as at least one diagnostic, never both and never neither;
// a directive's kind is known and its argument count within the arity
// table; each token is one non-empty word with no blanks, found in the
// source at the position it claims; and a directive annotates a top-level
// declaration or the package clause. Seeds: testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, src string) {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, "f.go", src, parser.ParseComments)
		if err != nil || file == nil {
			t.Skip()
		}
		ds, diags := Parse(fset, []*ast.File{file})

		// Every //kk: comment, by the position of its slashes.
		lines := map[token.Position]bool{}
		for _, g := range file.Comments {
			for _, c := range g.List {
				if strings.HasPrefix(c.Text, Prefix) {
					lines[fset.Position(c.Slash)] = true
				}
			}
		}
		seen := map[token.Position]bool{}
		for _, d := range ds {
			if !lines[d.Pos] {
				t.Fatalf("directive at %v is not a //kk: comment", d.Pos)
			}
			if seen[d.Pos] {
				t.Fatalf("two directives from the comment at %v", d.Pos)
			}
			seen[d.Pos] = true
			want, known := arity[d.Kind.Text]
			if !known {
				t.Errorf("%v: unknown kind %q accepted", d.Pos, d.Kind.Text)
			}
			if n := len(d.Args); n < want[0] || n > want[1] {
				t.Errorf("%v: //kk:%s with %d args accepted (arity %v)", d.Pos, d.Kind.Text, n, want)
			}
			if d.File != file || (d.Decl == nil) != d.OnFile {
				t.Errorf("%v: bad owner: decl %v, on file %v", d.Pos, d.Decl, d.OnFile)
			}
			for _, tok := range append([]Token{d.Kind}, d.Args...) {
				if tok.Text == "" || strings.ContainsAny(tok.Text, " \t\n") {
					t.Errorf("%v: token %q is not one word", tok.Pos, tok.Text)
				}
				if tok.Pos.Filename != "f.go" || tok.Pos.Line != d.Pos.Line || tok.Pos.Column <= d.Pos.Column {
					t.Errorf("token %q at %v is not on its directive's line %v", tok.Text, tok.Pos, d.Pos)
				}
				// go/scanner drops carriage returns from comment text, so
				// offsets can be checked only where there are none.
				if !strings.Contains(src, "\r") && !strings.HasPrefix(src[tok.Pos.Offset:], tok.Text) {
					t.Errorf("token %q at %v: the source there is %q", tok.Text, tok.Pos, src[tok.Pos.Offset:min(len(src), tok.Pos.Offset+len(tok.Text))])
				}
			}
		}
		for _, dg := range diags {
			if dg.Msg == "" || dg.Pos.Filename != "f.go" || dg.Pos.Line < 1 || dg.Pos.Column < 1 {
				t.Errorf("diagnostic without position or message: %v", dg)
			}
			var line token.Position
			for l := range lines {
				if l.Line == dg.Pos.Line && l.Column <= dg.Pos.Column {
					line = l
				}
			}
			if !line.IsValid() {
				t.Fatalf("diagnostic %v is on no //kk: line", dg)
			}
			if seen[line] {
				t.Errorf("the comment at %v is both a directive and diagnostic %v", line, dg)
			}
			seen[line] = true
		}
		if len(seen) != len(lines) {
			t.Errorf("%d //kk: comments, but %d directives and diagnostics: %v %v", len(lines), len(seen), ds, diags)
		}
	})
}
