// Package templates holds kkgen's non-Go outputs as an embed.FS of
// text/template files, so they are reviewed as the text they produce rather
// than as string-building code. Go code is emitted with jennifer instead.
//
// Its Go API is kkgen's alone: programs that use kk have no reason to
// import it, and it may change with any kkgen release.
package templates

import (
	"embed"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

// Routes renders a package's route table for `kkgen -routes`. Its data is
// a []RouteDoc.
var Routes = template.Must(template.ParseFS(files, "routes.tmpl"))

// RouteDoc is one row of the route table.
type RouteDoc struct {
	Package string // import path
	Method  string
	Pattern string
	Handler string
	Pos     string // file:line of the annotation
	Chain   string // the route's annotated middleware, outermost first ("Auth, Audit, timeout 2s"), or ""
}
