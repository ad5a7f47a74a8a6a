// Package load loads the packages kkgen generates for, with syntax and full
// type information, using golang.org/x/tools/go/packages.
package load

import (
	"fmt"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/kommandkit/kk/internal/diag"
	"github.com/kommandkit/kk/internal/model"
)

// generatedNames are declared by kk_gen.go. User code may refer to them
// (main calls NewRouter), so their absence while loading is not an error.
var generatedNames = []string{"NewRouter", "RegisterConsumers"}

const mode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
	packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports | packages.NeedModule

// Packages loads the packages matching patterns, relative to dir. Problems
// that stop kkgen from reading a package (no Go files, syntax and type
// errors) come back as diagnostics.
func Packages(dir string, patterns []string) ([]*packages.Package, diag.List) {
	cfg := &packages.Config{
		Mode:       mode,
		Dir:        dir,
		BuildFlags: []string{"-tags=" + model.BuildTag}, // hides kk_gen.go
	}
	pkgs, err := packages.Load(cfg, patterns...)
	var diags diag.List
	if err != nil {
		diags.Addf(token.Position{Filename: dir}, "loading packages: %v", err)
		return nil, diags
	}
	if untidy := moduleProblems(pkgs); len(untidy) > 0 {
		for _, p := range pkgs {
			diags.Addf(goModOf(p), "%s", untidyMessage(untidy))
		}
		return pkgs, diags
	}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			if e.Kind == packages.TypeError && refersToGenerated(e.Msg) {
				continue
			}
			if e.Kind == packages.ListError && strings.HasPrefix(e.Msg, "# "+p.PkgPath+"\n") {
				// go list compiled the package for export data and
				// failed; the same errors come back as type errors from
				// checking it from source, filtered as above.
				continue
			}
			diags.Addf(position(e.Pos, p.PkgPath), "%s", e.Msg)
		}
	}
	return pkgs, diags
}

// untidyMarks are the go command's words for a go.mod or go.sum that does
// not cover what a package imports: the state of a module before
// go mod tidy (a dependency added by hand, a fresh go get of kk).
var untidyMarks = []string{
	"missing go.sum entry",
	"no required module provides package",
	"is replaced but not required",
	"updates to go.mod needed",
}

// moduleProblems returns the distinct first lines of the errors, anywhere
// in the import graph, that say the module's requirements are incomplete.
// When there are any, the type errors that follow from them (a kk.Ctx
// without its embedded fasthttp fields: "c.Request undefined") say nothing
// about the user's code and are not reported.
func moduleProblems(pkgs []*packages.Package) []string {
	var out []string
	seen := map[string]bool{}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			if e.Kind != packages.ListError {
				continue
			}
			msg, _, _ := strings.Cut(e.Msg, "\n")
			msg = strings.TrimSuffix(strings.TrimSuffix(msg, "; to add:"), "; to add it:")
			for _, m := range untidyMarks {
				if strings.Contains(msg, m) && !seen[msg] {
					seen[msg] = true
					out = append(out, msg)
				}
			}
		}
	})
	sort.Strings(out)
	return out
}

// untidyMessage tells the user to run go mod tidy, quoting the first of
// the go command's complaints.
func untidyMessage(problems []string) string {
	more := ""
	if n := len(problems) - 1; n > 0 {
		more = fmt.Sprintf(" (and %d more)", n)
	}
	return fmt.Sprintf("the module's requirements are incomplete: %s%s; run go mod tidy, then go generate again", problems[0], more)
}

// goModOf is where a module problem of p is reported: its module's go.mod,
// else its directory.
func goModOf(p *packages.Package) token.Position {
	if p.Module != nil && p.Module.GoMod != "" {
		return token.Position{Filename: p.Module.GoMod}
	}
	if len(p.GoFiles) > 0 {
		return token.Position{Filename: filepath.Dir(p.GoFiles[0])}
	}
	return token.Position{Filename: p.PkgPath}
}

// refersToGenerated reports whether msg is a type error about a name that
// kk_gen.go declares, in this package (undefined: NewRouter) or in an
// imported one (undefined: api.NewRouter), whose kk_gen.go the kkgen build
// tag also hides.
func refersToGenerated(msg string) bool {
	name, ok := strings.CutPrefix(msg, "undefined: ")
	if !ok {
		return false
	}
	if pkg, sel, qualified := strings.Cut(name, "."); qualified {
		if !token.IsIdentifier(pkg) {
			return false
		}
		name = sel
	}
	for _, n := range generatedNames {
		if name == n {
			return true
		}
	}
	return false
}

// position parses the "file:line:col" (or "file:line", or "-") that
// go/packages gives errors.
func position(s, fallback string) token.Position {
	if s == "" || s == "-" {
		return token.Position{Filename: fallback}
	}
	parts := strings.Split(s, ":")
	var nums []int
	for len(parts) > 1 && len(nums) < 2 {
		n, err := strconv.Atoi(parts[len(parts)-1])
		if err != nil {
			break
		}
		nums = append([]int{n}, nums...)
		parts = parts[:len(parts)-1]
	}
	p := token.Position{Filename: strings.Join(parts, ":")}
	if len(nums) > 0 {
		p.Line = nums[0]
	}
	if len(nums) > 1 {
		p.Column = nums[1]
	}
	return p
}
