package diag

import (
	"go/token"
	"testing"
)

func TestSortDedupAndFormat(t *testing.T) {
	var l List
	at := func(file string, line, col int) token.Position {
		return token.Position{Filename: file, Line: line, Column: col}
	}
	l.Addf(at("/m/b.go", 1, 1), "late file")
	l.Addf(at("/m/a.go", 9, 2), "second")
	l.Addf(at("/m/a.go", 2, 7), "first, see %s", at("/m/a.go", 1, 1))
	l.Addf(at("/m/a.go", 9, 2), "second")
	l.Addf(at("/elsewhere/c.go", 1, 1), "outside")
	l.Sort()
	got := l.Format("/m")
	want := "/elsewhere/c.go:1:1: outside\n" +
		"a.go:2:7: first, see a.go:1:1\n" +
		"a.go:9:2: second\n" +
		"b.go:1:1: late file\n"
	if got != want {
		t.Errorf("Format:\n%s\nwant:\n%s", got, want)
	}
}
