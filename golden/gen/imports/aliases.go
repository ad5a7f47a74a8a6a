package imports

import (
	"fmt"
	addr "net/netip"

	idsv1 "github.com/kommandkit/kk/golden/gen/imports/internal/v1/ids"
	idsv2 "github.com/kommandkit/kk/golden/gen/imports/internal/v2/ids"
)

// ids and netip are package-level declarations named like packages whose
// types the handlers take, which this package imports under other names:
// kk_gen.go must import those packages under names that are free.
var (
	ids   = "package ids"
	netip = "package netip"
)

// Aliased takes both ids packages, in parameters named like the names
// kk_gen.go gives them (ids2, ids3) and like the package-level ids.
//
//kk:route GET /aliased/:ids2/:ids3/:ids
func Aliased(ids2 idsv1.UserID, ids3 idsv2.UserID, ids string) string {
	return fmt.Sprintf("%d %s %s", ids2, ids3.Raw, ids)
}

// Addr takes a type of a package imported under another name than the
// package-level var netip, in parameters named like that var and like the
// name kk_gen.go gives the package.
//
//kk:route GET /addr/:netip/:netip2
func Addr(netip, netip2 addr.Addr) string {
	return fmt.Sprint(netip, " ", netip2, " ", ids)
}
