// Package generate runs kkgen's pipeline over packages: load, parse
// directives, check, build radix trees, emit. It returns the files to write
// and writes nothing itself.
package generate

import (
	"path/filepath"
	"strings"

	"github.com/kommandkit/kk/internal/apitype"
	"github.com/kommandkit/kk/internal/check"
	"github.com/kommandkit/kk/internal/diag"
	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/emit"
	"github.com/kommandkit/kk/internal/load"
	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/radix"
)

// FileName is the file kkgen writes in each package directory.
const FileName = "kk_gen.go"

// File is one generated file.
type File struct {
	Path    string // where it belongs: <package dir>/kk_gen.go
	Content []byte
	Model   *model.Package // what it was generated from
	// API is the types of the routes, which the clients are written from
	// (internal/apitype); APIDiags are its problems, which matter only to
	// a client.
	API      *model.API
	APIDiags diag.List
}

// Run generates for the packages matching patterns, resolved in dir. A
// package matched only through a "..." wildcard is skipped when it has no
// //kk: directives. When any diagnostic is reported, no files are returned.
func Run(dir string, patterns []string) ([]File, diag.List) {
	pkgs, diags := load.Packages(dir, patterns)
	if len(diags) > 0 {
		diags.Sort()
		return nil, diags
	}
	wildcard := false
	for _, p := range patterns {
		wildcard = wildcard || strings.Contains(p, "...")
	}
	var files []File
	for _, pkg := range pkgs {
		dirs, ds := directive.Parse(pkg.Fset, pkg.Syntax)
		diags.Append(ds)
		if len(dirs) == 0 && len(ds) == 0 && wildcard {
			continue
		}
		m, ds := check.Package(pkg, dirs)
		diags.Append(ds)
		trees, ds := radix.Build(m.Routes)
		diags.Append(ds)
		if len(diags) > 0 {
			continue
		}
		src, err := emit.File(m, trees)
		if err != nil {
			diags.Addf(pkgPos(pkg.Dir), "%v", err)
			continue
		}
		api, apiDiags := apitype.Describe(pkg, m)
		files = append(files, File{Path: filepath.Join(pkg.Dir, FileName), Content: src, Model: m, API: api, APIDiags: apiDiags})
	}
	if len(diags) > 0 {
		diags.Sort()
		return nil, diags
	}
	return files, nil
}
