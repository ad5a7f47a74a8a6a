// Package load loads the packages kkgen generates for, with syntax and full
// type information, using golang.org/x/tools/go/packages.
package load

import (
	"go/token"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/kommandkit/kk/internal/diag"
)

// BuildTag is set while loading. Generated files carry "//go:build !kkgen",
// so a stale kk_gen.go, which may no longer compile against the handlers it
// was made from, is never part of what kkgen reads.
const BuildTag = "kkgen"

// generatedNames are declared by kk_gen.go. User code may refer to them
// (main calls NewRouter), so their absence while loading is not an error.
var generatedNames = []string{"NewRouter", "RegisterConsumers"}

const mode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
	packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports

// Packages loads the packages matching patterns, relative to dir. Problems
// that stop kkgen from reading a package (no Go files, syntax and type
// errors) come back as diagnostics.
func Packages(dir string, patterns []string) ([]*packages.Package, diag.List) {
	cfg := &packages.Config{
		Mode:       mode,
		Dir:        dir,
		BuildFlags: []string{"-tags=" + BuildTag},
	}
	pkgs, err := packages.Load(cfg, patterns...)
	var diags diag.List
	if err != nil {
		diags.Addf(token.Position{Filename: dir}, "loading packages: %v", err)
		return nil, diags
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
