// Package names covers identifiers that could clash with the names
// generated wrappers use: parameters named like the wrapper's own locals
// (c, err, res), like predeclared identifiers, imported packages,
// package-level declarations or the handler itself; and lower-case or
// non-ASCII handler names.
package names

import (
	"fmt"
	"net/netip"
)

// id and idParam are package-level, so a parameter called id needs another
// local name.
var id, idParam = "package id", "package idParam"

// Handler is a package-level type named like nothing the wrapper uses.
type Handler string

//kk:route GET /locals/:c/:err/:res
func Locals(c string, err int, res bool) string { return fmt.Sprintf("%s %d %v", c, err, res) }

//kk:route GET /predeclared/:len/:string/:any/:true/:nil
func Predeclared(len int, string string, any []byte, true bool, nil uint8) string {
	return fmt.Sprintf("%d %s %v %v %d", len, string, any, true, nil)
}

//kk:route GET /packages/:netip/:fmt/:kk/:errors
func Packages(netip netip.Addr, fmt string, kk string, errors string) string {
	return netip.String() + " " + fmt + " " + kk + " " + errors
}

//kk:route GET /pkglevel/:id/:Handler
func PkgLevel(id int, Handler Handler) string {
	return fmt.Sprint(id, " ", Handler, " ", idParam)
}

//kk:route GET /self/:Self
func Self(Self string) string { return "self " + Self }

//kk:route GET /lower/:x
func lower(x string) string { return "lower " + x }

//kk:route GET /unicode/:größe
func Größe(größe int) string { return fmt.Sprint("größe ", größe) }

//kk:route GET /_under
func _under() string { return "under" }
