package generate

import "go/token"

// pkgPos positions a diagnostic about a whole package at its directory.
func pkgPos(dir string) token.Position { return token.Position{Filename: dir} }
