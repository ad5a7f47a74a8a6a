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

// TSClient renders the TypeScript client of `kkgen -ts` (internal/tsclient
// builds its data): the API's types and classes, then the runtime that is
// the same in every client.
var TSClient = template.Must(template.ParseFS(files, "client.ts.tmpl", "client_runtime.ts.tmpl"))

// TSFile is the data of TSClient.
type TSFile struct {
	Source string    // the server package's import path
	Types  []TSType  // in the order they are declared
	Fields []TSGroup // the Client's fields: the groups of method handlers
	Groups []TSGroup // the Client (Field "") first, then each group's class
}

// TSType is one declared type: an interface when Fields or Object is set,
// else a type alias.
type TSType struct {
	Doc    []string
	Name   string
	Fields []TSField
	Object bool   // an interface with no fields
	Alias  string // the aliased type
	Consts []TSConst
}

// TSField is one member of an interface.
type TSField struct {
	Doc      []string
	Name     string // quoted when it is not an identifier
	Optional bool
	Type     string
}

// TSConst is one constant of a type, a member of its const object.
type TSConst struct{ Name, Value string }

// TSGroup is the Client, or the class of one receiver type's routes.
type TSGroup struct {
	Recv    string // the receiver type, "" for the Client
	Field   string // the Client's field holding it, "" for the Client
	Name    string // the same as Field, for the Client's declarations
	Class   string
	Methods []TSMethod
}

// TSMethod is one route's method.
type TSMethod struct {
	Doc  []string
	Head string   // "async get(id: ItemID, opts?: CallOptions): Promise<Item>"
	Body []string // its lines
}
