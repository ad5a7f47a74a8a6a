// Package diag holds the positioned diagnostics every generator stage
// returns: collected rather than fatal, so one run reports every problem in
// a package, sorted like go/scanner's ErrorList.
package diag

import (
	"fmt"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
)

// Diagnostic is one problem at one place in the user's source.
type Diagnostic struct {
	Pos token.Position
	Msg string
}

// String is "file:line:col: message".
func (d Diagnostic) String() string { return fmt.Sprintf("%s: %s", d.Pos, d.Msg) }

// List collects diagnostics.
type List []Diagnostic

// Addf records a diagnostic at pos.
func (l *List) Addf(pos token.Position, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// Append records all of m.
func (l *List) Append(m List) { *l = append(*l, m...) }

// Sort orders by file, line, column, then message, and drops exact repeats.
func (l *List) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i].Pos, s[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return s[i].Msg < s[j].Msg
	})
	out := s[:0]
	for i, d := range s {
		if i == 0 || d != s[i-1] {
			out = append(out, d)
		}
	}
	*l = out
}

// Format renders the list one diagnostic per line, with file names made
// relative to dir when they lie below it, as go vet prints them; so are the
// positions a message cites (the other site of a duplicate).
func (l List) Format(dir string) string {
	var b strings.Builder
	prefix := filepath.Clean(dir) + string(filepath.Separator)
	for _, d := range l {
		if rel, err := filepath.Rel(dir, d.Pos.Filename); err == nil && !strings.HasPrefix(rel, "..") {
			d.Pos.Filename = rel
		}
		d.Msg = strings.ReplaceAll(d.Msg, prefix, "")
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}
