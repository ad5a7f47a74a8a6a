// Package tsclient writes the TypeScript client of a package's routes
// (kkgen -ts FILE): one dependency-free module on fetch.
package tsclient

import (
	"go/token"

	"github.com/kommandkit/kk/internal/diag"
	"github.com/kommandkit/kk/internal/model"
)

// Generate writes the TypeScript module of m's routes.
func Generate(m *model.Package, api *model.API, at token.Position) ([]byte, diag.List) {
	var d diag.List
	d.Addf(at, "-ts is not written yet")
	return nil, d
}
