// Package staticroot serves a whole site from the root with //kk:static /,
// behind annotated routes at the root and below it.
package staticroot

import "embed"

//go:generate go run github.com/kommandkit/kk/cmd/kkgen

//go:embed site
//kk:static / site
var site embed.FS

// Hello is an annotated route inside the site's space: it wins.
//
//kk:route GET /api/hello
func Hello() string { return "hello" }

// Create takes POSTs.
//
//kk:route POST /api/items
func Create() string { return "created" }
