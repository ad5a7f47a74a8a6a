package radix

import (
	"fmt"
	"go/token"
	"strings"
	"testing"

	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/pattern"
)

func routes(t *testing.T, specs ...string) []model.Route {
	var rs []model.Route
	for i, s := range specs {
		method, raw, _ := strings.Cut(s, " ")
		p, errs := pattern.Parse(raw)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		rs = append(rs, model.Route{Method: method, Pattern: p, Func: fmt.Sprintf("H%d", i),
			Pos: token.Position{Filename: "h.go", Line: i + 1, Column: 1}})
	}
	return rs
}

// dump renders a tree one node a line, indented by depth.
func dump(n *Node, depth int, b *strings.Builder) {
	fmt.Fprintf(b, "%s%q", strings.Repeat("  ", depth), n.Prefix)
	if n.Route >= 0 {
		fmt.Fprintf(b, " route=%d", n.Route)
	}
	if n.CatchAll >= 0 {
		fmt.Fprintf(b, " catchall=%d[%d]", n.CatchAll, n.CatchIndex)
	}
	b.WriteByte('\n')
	for _, c := range n.Statics {
		dump(c, depth+1, b)
	}
	if n.Param != nil {
		fmt.Fprintf(b, "%s:param[%d]\n", strings.Repeat("  ", depth+1), n.Param.ParamIndex)
		dump(n.Param, depth+2, b)
	}
}

func TestBuildSplitsAndOrders(t *testing.T) {
	trees, diags := Build(routes(t,
		"GET /users/:id",
		"GET /users/new",
		"GET /users/:name/profile",
		"GET /files/*path",
		"POST /users",
		"GET /u",
	))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if len(trees) != 2 || trees[0].Method != "GET" || trees[1].Method != "POST" {
		t.Fatalf("trees: %+v", trees)
	}
	var b strings.Builder
	dump(trees[0].Root, 0, &b)
	want := `""
  "/"
    "files/" catchall=3[0]
    "u" route=5
      "sers/"
        "new" route=1
        :param[0]
          "" route=0
            "/profile" route=2
`
	if b.String() != want {
		t.Errorf("GET tree:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestBuildReportsDuplicatesNamingBothSites(t *testing.T) {
	_, diags := Build(routes(t,
		"GET /users/:id",
		"GET /users/:name",
		"POST /users/:name",
		"GET /f/*a",
		"GET /f/*b",
		"GET /f/:x",
	))
	var got []string
	for _, d := range diags {
		got = append(got, d.String())
	}
	want := []string{
		"h.go:2:1: duplicate route GET /users/:name (H1) matches the same paths as GET /users/:id (H0) at h.go:1:1",
		"h.go:5:1: duplicate route GET /f/*b (H4) matches the same paths as GET /f/*a (H3) at h.go:4:1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
