package emit

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/radix"
)

// names are the identifiers kk_gen.go declares or uses, chosen so none
// collides with another or with the package's own declarations. The
// checker reserves "kk" plus an upper-case letter for generated code, so
// names in that space are free by construction; everything else is checked.
type names struct {
	pkg      *model.Package
	taken    map[string]bool   // package-level and import names in kk_gen.go's scope
	imports  map[string]string // import path → name used in kk_gen.go
	wrappers []string          // per route
	recvs    map[string]string // receiver type → its parameter in NewRouter, RegisterConsumers and wrappers
	matchers map[string]string // method → its matcher func
	ctx      string            // the wrapper's *kk.Ctx parameter
	err      string            // the wrapper's error local
	res      string            // the wrapper's result local
	raw      string            // a raw request value
	x        string            // a decoded value
	p        string            // a converted value a pointer is taken to
	v        string            // a binder's target struct
	missing  string            // a binder's list of absent required fields
	binders  map[model.Type]string
	inputs   []*model.Input // one per input struct type, in first-use order

	checkers    map[model.Type]string // JSON body type → its constraint-check func (constraints.go)
	checks      []*model.Checks       // one per checked body type, in first-use order
	patterns    map[string]string     // pattern tag → its compiled var
	patternList []string              // the patterns in first-use order
	bad         string                // a wrapper's list of values outside their type's constants
}

func newNames(pkg *model.Package, trees []radix.Tree) *names {
	n := &names{pkg: pkg, taken: map[string]bool{}, imports: map[string]string{}, matchers: map[string]string{}}
	for name := range pkg.Declared {
		n.taken[name] = true
	}
	for _, s := range append([]string{"kkMatch", "kkStatusOf"}, model.Generated...) {
		n.taken[s] = true
	}
	n.imports[rt], n.imports["errors"] = "kk", "errors"
	n.importNames()
	n.receivers()
	for _, t := range trees {
		n.matchers[t.Method] = n.fresh("kkMatch" + identSafe(t.Method))
	}
	seen := map[string]int{}
	for _, r := range pkg.Routes {
		if r.Static != nil {
			n.wrappers = append(n.wrappers, "") // served by kk.Static, no wrapper
			continue
		}
		key := r.Recv + r.Func
		base := "kk" + upperFirst(key)
		if seen[key]++; seen[key] > 1 {
			base += fmt.Sprint(seen[key])
		}
		n.wrappers = append(n.wrappers, n.fresh(base))
	}
	n.binders = map[model.Type]string{}
	for _, r := range pkg.Routes {
		for _, a := range r.Args {
			if a.Struct != nil {
				if _, done := n.binders[a.Struct.Type]; !done {
					n.binders[a.Struct.Type] = n.fresh("kkBind" + upperFirst(a.Struct.Type.Name))
					n.inputs = append(n.inputs, a.Struct)
				}
			}
		}
	}
	n.checkers, n.patterns = map[model.Type]string{}, map[string]string{}
	n.bad = n.fresh("kkBad")
	for _, r := range pkg.Routes {
		for _, a := range r.Args {
			if a.Checks != nil {
				if _, done := n.checkers[a.Checks.Type]; !done {
					n.checkers[a.Checks.Type] = n.fresh("kkCheck" + upperFirst(a.Checks.Type.Name))
					n.checks = append(n.checks, a.Checks)
				}
			}
		}
	}
	n.ctx = n.local("c", "kkCtx")
	n.err = n.local("err", "kkErr")
	n.res = n.local("res", "kkRes")
	n.raw = n.local("raw", "kkRaw")
	n.x = n.local("x", "kkX")
	n.p = n.local("p", "kkP")
	n.v = n.local("v", "kkV")
	n.missing = n.local("missing", "kkMissing")
	return n
}

// importNames gives each imported package its own name, or that name with a
// number when another import or a package-level declaration has it.
func (n *names) importNames() {
	byPath := map[string]string{}
	add := func(t model.Type) {
		if t.Path != "" && t.Path != n.pkg.Path {
			byPath[t.Path] = t.PkgName
		}
	}
	var addExpr func(t *model.TypeExpr)
	addExpr = func(t *model.TypeExpr) {
		if t == nil {
			return
		}
		add(t.Type)
		addExpr(t.Elem)
		addExpr(t.Key)
	}
	for _, r := range n.pkg.Routes {
		for _, a := range r.Args {
			add(a.Value.Type)
			addExpr(&a.Full)
			if a.Struct != nil {
				add(a.Struct.Type)
				for _, f := range a.Struct.Fields {
					add(f.Value.Type)
				}
			}
		}
		if r.Timeout != 0 {
			byPath["time"] = "time"
		}
		if r.Kind == model.WebSocketRoute {
			byPath["context"] = "context" // the bound handler's parameter
		}
	}
	for _, e := range n.pkg.Errors {
		add(e.Type)
	}
	paths := make([]string, 0, len(byPath))
	for p := range byPath {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		n.imports[p] = n.fresh(byPath[p])
	}
}

// receivers names the parameter of each receiver type: its name in
// lowerCamelCase (Users → users, HTTPClient → httpClient), or kk and the
// type's name when that would be a keyword, a predeclared name or a name
// of the package or its imports other than the type itself. Wrappers take
// the receiver under the same name, so their locals avoid it.
func (n *names) receivers() {
	n.recvs = map[string]string{}
	for _, r := range n.pkg.Receivers {
		name := model.LowerCamel(r.Type)
		if token.IsKeyword(name) || types.Universe.Lookup(name) != nil || n.taken[name] && name != r.Type || n.claimed(name) {
			name = n.fresh("kk" + upperFirst(r.Type))
		}
		n.taken[name] = true
		n.recvs[r.Type] = name
	}
}

// claimed reports whether name is already another receiver's parameter.
func (n *names) claimed(name string) bool {
	for _, p := range n.recvs {
		if p == name {
			return true
		}
	}
	return false
}

// recvType is the type of the receiver parameter for t: *T, or T when
// every annotated method of T has a value receiver.
func (n *names) recvType(t string) *jen.Statement {
	for _, r := range n.pkg.Receivers {
		if r.Type == t && r.Pointer {
			return jen.Op("*").Id(t)
		}
	}
	return jen.Id(t)
}

// callee is what a wrapper calls: the handler func, or the method on the
// receiver the wrapper captured.
func (n *names) callee(r model.Route) *jen.Statement {
	if r.Recv == "" {
		return jen.Id(r.Func)
	}
	return jen.Id(n.recvs[r.Recv]).Dot(r.Func)
}

// fresh returns base, or base with the smallest number that makes it
// unused, and marks it used.
func (n *names) fresh(base string) string {
	name := base
	for i := 2; n.taken[name] || types.Universe.Lookup(name) != nil; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	n.taken[name] = true
	return name
}

// local is want unless that would shadow a package-level or imported name
// the wrapper may use, else the reserved fallback.
func (n *names) local(want, fallback string) string {
	if n.taken[want] {
		return fallback
	}
	return want
}

// args names a wrapper's locals for its arguments: each parameter's own
// name where it shadows nothing the wrapper uses, else with a suffix.
func (n *names) args(r model.Route) []string {
	used := map[string]bool{n.ctx: true, n.err: true, n.res: true, n.raw: true, n.x: true}
	out := make([]string, len(r.Args))
	for i, a := range r.Args {
		name := a.Name
		// A *T argument is set through the local p (pointTo), which must
		// not be its own name; elsewhere p only shadows it inside the
		// block that binds another argument.
		for k := 1; used[name] || a.Value.Ptr && name == n.p || n.taken[name] || types.Universe.Lookup(name) != nil; k++ {
			name = a.Name + "Param"
			if k > 1 {
				name += fmt.Sprint(k)
			}
		}
		used[name] = true
		out[i] = name
	}
	return out
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// identSafe maps a method token (M-SEARCH) to identifier characters.
func identSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' {
			return '_'
		}
		return r
	}, s)
}
