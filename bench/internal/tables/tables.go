// Package tables holds the route tables the routing benchmarks run on: the
// GitHub, Google+, Parse and static tables of go-http-routing-benchmark
// (in the repository's testdata/routes; tables_gen.go is
// written from them by ../benchgen) and the micro tables, with the
// single-route probes and a concrete request path for every route.
package tables

import "strings"

// Route is one table line: a method and a pattern in go-http-routing-
// benchmark's syntax, where :name matches one segment.
type Route struct {
	Method, Pattern string
}

// Table is a named route table.
type Table struct {
	Name   string // also the name of the kk package under bench/kkroutes
	Routes []Route
}

// The micro tables have one route each, as upstream's Param, Param5 and
// Param20 benchmarks register them.
var (
	Param   = Table{Name: "param", Routes: []Route{{"GET", "/user/:name"}}}
	Param5  = Table{Name: "param5", Routes: []Route{{"GET", "/:a/:b/:c/:d/:e"}}}
	Param20 = Table{Name: "param20", Routes: []Route{{"GET", "/:a/:b/:c/:d/:e/:f/:g/:h/:i/:j/:k/:l/:m/:n/:o/:p/:q/:r/:s/:t"}}}
)

// All lists every table, in the order kk packages are generated.
var All = []Table{GitHub, GPlus, Parse, Static, Param, Param5, Param20}

// Request paths of upstream's micro benchmarks.
const (
	ParamPath   = "/user/gordon"
	Param5Path  = "/test/test/test/test/test"
	Param20Path = "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t"
)

// Braces rewrites :name segments as {name}, the syntax of chi,
// fasthttp/router and net/http.ServeMux.
func Braces(pattern string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			segs[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(segs, "/")
}

// values are the concrete values Concrete puts in place of parameters, by
// name: the shapes real requests to these APIs carry.
var values = map[string]string{
	"owner": "julienschmidt", "repo": "httprouter", "repository": "httprouter",
	"user": "gordon", "org": "golang", "id": "1234567", "number": "42",
	"sha": "7d96962a1b2c3d4e5f60", "name": "bug", "ref": "main",
	"client_id": "0b1f6a2c9d3e", "access_token": "6f9b2c4a8e1d7f3b",
	"assignee": "octocat", "branch": "main", "keyword": "router",
	"email": "gordon@example.com", "state": "open",
	"userId": "118051310819094153327", "collection": "public",
	"activityId": "123456789", "commentId": "z12gtjhq3qn2xxl2o224exwiqruvtda0i",
	"className": "GameScore", "objectId": "Ed1nuqPvcm",
	"eventName": "signup", "fileName": "avatar.png", "target_user": "rob",
}

// Concrete is a request path for pattern with a realistic value in place
// of each :name parameter.
func Concrete(pattern string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			v, ok := values[s[1:]]
			if !ok {
				v = "v-" + s[1:]
			}
			segs[i] = v
		}
	}
	return strings.Join(segs, "/")
}
