// Package httpmethod is the IANA HTTP Method Registry
// (https://www.iana.org/assignments/http-methods), shared by kkgen, which
// takes any other method in a //kk:route for a typo unless the package
// declares it, and the runtime, which answers an unrouted method outside
// the registry with 501 (RFC 9110 §9.1) rather than 405.
package httpmethod

import "slices"

// registry holds the registered methods.
var registry = map[string]struct{}{
	"ACL": {}, "BASELINE-CONTROL": {}, "BIND": {}, "CHECKIN": {}, "CHECKOUT": {},
	"CONNECT": {}, "COPY": {}, "DELETE": {}, "GET": {}, "HEAD": {}, "LABEL": {},
	"LINK": {}, "LOCK": {}, "MERGE": {}, "MKACTIVITY": {}, "MKCALENDAR": {},
	"MKCOL": {}, "MKREDIRECTREF": {}, "MKWORKSPACE": {}, "MOVE": {}, "OPTIONS": {},
	"ORDERPATCH": {}, "PATCH": {}, "POST": {}, "PRI": {}, "PROPFIND": {},
	"PROPPATCH": {}, "PUT": {}, "QUERY": {}, "REBIND": {}, "REPORT": {},
	"SEARCH": {}, "TRACE": {}, "UNBIND": {}, "UNCHECKOUT": {}, "UNLINK": {},
	"UNLOCK": {}, "UPDATE": {}, "UPDATEREDIRECTREF": {}, "VERSION-CONTROL": {},
}

// Registered reports whether m is a registered method (case-sensitive, as
// methods are: RFC 9110 §9.1).
func Registered(m string) bool {
	_, ok := registry[m]
	return ok
}

// Names is the registered methods, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for m := range registry {
		names = append(names, m)
	}
	slices.Sort(names)
	return names
}
