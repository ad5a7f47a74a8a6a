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
var generatedNames = []string{"NewRouter"}

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
			diags.Addf(position(e.Pos, p.PkgPath), "%s", e.Msg)
		}
	}
	return pkgs, diags
}

func refersToGenerated(msg string) bool {
	for _, n := range generatedNames {
		if msg == "undefined: "+n {
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
