package main

import (
	"go/token"
	"path/filepath"

	"github.com/kommandkit/kk/internal/client"
	"github.com/kommandkit/kk/internal/diag"
	"github.com/kommandkit/kk/internal/generate"
	"github.com/kommandkit/kk/internal/tsclient"
)

// clientFiles are the clients -client DIR and -ts FILE ask for, of each
// generated package, at paths relative to its directory.
func clientFiles(files []generate.File, dir, ts string) ([]generate.File, diag.List) {
	var out []generate.File
	var diags diag.List
	for _, f := range files {
		if dir == "" && ts == "" {
			break
		}
		pkgDir := filepath.Dir(f.Path)
		at := token.Position{Filename: pkgDir}
		if len(f.APIDiags) > 0 {
			diags.Append(f.APIDiags)
			continue
		}
		if dir != "" {
			cdir := filepath.Join(pkgDir, dir)
			name := filepath.Base(cdir)
			if !token.IsIdentifier(name) {
				diags.Addf(at, "-client %s: the directory's name %q is the client's package name, so it must be a Go identifier", dir, name)
				continue
			}
			cfs, ds := client.Generate(f.Model, f.API, name, at)
			diags.Append(ds)
			for _, cf := range cfs {
				out = append(out, generate.File{Path: filepath.Join(cdir, cf.Name), Content: cf.Content})
			}
		}
		if ts != "" {
			src, ds := tsclient.Generate(f.Model, f.API, at)
			diags.Append(ds)
			if len(ds) == 0 {
				out = append(out, generate.File{Path: filepath.Join(pkgDir, ts), Content: src})
			}
		}
	}
	diags.Sort()
	return out, diags
}
