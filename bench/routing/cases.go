package routing

import "github.com/kommandkit/kk/bench/internal/tables"

// Case is one benchmark: a table to build routers from and the requests
// one op sends.
type Case struct {
	Name  string
	Table tables.Table
	Reqs  []Request
}

// Cases are the benchmarks of go-http-routing-benchmark that the issue
// names, plus a Concrete variant of each *All benchmark. Upstream's *All
// benchmarks send each route's pattern text as the path (so a parameter's
// value is ":owner"); the Concrete variants send realistic values
// (tables.Concrete), which is what a server sees.
func Cases() []Case {
	return []Case{
		{"GithubAll", tables.GitHub, Patterns(tables.GitHub)},
		{"GithubAllConcrete", tables.GitHub, Concretes(tables.GitHub)},
		{"GithubStatic", tables.GitHub, one("/user/repos")},
		{"GithubParam", tables.GitHub, one("/repos/julienschmidt/httprouter/stargazers")},
		{"GPlusAll", tables.GPlus, Patterns(tables.GPlus)},
		{"GPlusAllConcrete", tables.GPlus, Concretes(tables.GPlus)},
		{"GPlus2Params", tables.GPlus, one("/people/118051310819094153327/activities/123456789")},
		{"ParseAll", tables.Parse, Patterns(tables.Parse)},
		{"ParseAllConcrete", tables.Parse, Concretes(tables.Parse)},
		{"Parse2Params", tables.Parse, one("/1/classes/go/123456789")},
		{"StaticAll", tables.Static, Patterns(tables.Static)},
		{"Param", tables.Param, one(tables.ParamPath)},
		{"Param5", tables.Param5, one(tables.Param5Path)},
		{"Param20", tables.Param20, one(tables.Param20Path)},
	}
}

func one(path string) []Request { return []Request{{"GET", path}} }

// Patterns requests every route of t once, in order, with its pattern
// text as the path, as upstream does.
func Patterns(t tables.Table) []Request {
	reqs := make([]Request, len(t.Routes))
	for i, r := range t.Routes {
		reqs[i] = Request{r.Method, r.Pattern}
	}
	return reqs
}

// Concretes requests every route of t once, in order, with realistic
// parameter values.
func Concretes(t tables.Table) []Request {
	reqs := make([]Request, len(t.Routes))
	for i, r := range t.Routes {
		reqs[i] = Request{r.Method, tables.Concrete(r.Pattern)}
	}
	return reqs
}
