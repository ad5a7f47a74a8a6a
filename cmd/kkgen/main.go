// Command kkgen generates kk_gen.go, a compiled router, for packages whose
// funcs carry //kk:route annotations. Run it with go generate:
//
//	//go:generate go run github.com/kommandkit/kk/cmd/kkgen
//
// Usage:
//
//	kkgen [-check | -routes] [-client DIR] [-ts FILE]
//	      [-openapi FILE [-openapi-version 3.1|3.0|3.2] [-title TITLE] [-version VERSION] [-server URL]...]
//	      [packages]
//
// With no packages it generates for the package in the current directory.
// It prints nothing on success. Problems in the annotations are printed as
// file:line:col diagnostics, all at once, and nothing is written.
//
// With -check it writes nothing and exits 1, printing a unified diff, when
// a committed kk_gen.go (or a client or document asked for) differs from
// what it would generate (for CI).
//
// With -client DIR it also writes a Go client of the routes into DIR
// (relative to the package directory; the package is named after DIR's
// last element), and with -ts FILE a TypeScript client module. See
// docs/clients.md.
//
// With -openapi it also writes the package's OpenAPI document to FILE,
// relative to the package directory (only if changed); -title, -version
// and -server fill its info and servers. See docs/openapi.md.
//
// With -routes it writes nothing and prints the route table, one route a
// line: the method, the pattern with its group prefix, the handler, the
// file:line of its //kk:route and, when there is any, the middleware its
// annotations put around it, outermost first (the group's use=, its
// //kk:use, its //kk:timeout). Middleware added with Router.Use wraps
// every route and is not listed.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kommandkit/kk/internal/generate"
	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/write"
	"github.com/kommandkit/kk/templates"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run is kkgen without the process: tests drive it in-process. It returns
// 0 on success, 1 for diagnostics, a stale file under -check or an I/O
// error, and 2 for bad usage.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kkgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	checkOnly := fs.Bool("check", false, "write nothing; exit 1 with a unified diff if any kk_gen.go is stale or missing")
	listRoutes := fs.Bool("routes", false, "write nothing; print each route's method, full pattern, handler, position\nand annotated middleware chain (group use=, //kk:use, //kk:timeout; outermost first)")
	// Clients (internal/client, internal/tsclient), written beside kk_gen.go.
	clientDir := fs.String("client", "", "also write a Go client package into `DIR` (relative to the package directory; package name: DIR's base name)")
	tsFile := fs.String("ts", "", "also write a TypeScript client module to `FILE` (relative to the package directory)")
	doc := docFlags(fs) // openapi.go
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: kkgen [-check | -routes] [-client DIR] [-ts FILE]
             [-openapi FILE [-openapi-version 3.1|3.0|3.2] [-title T] [-version V] [-server URL]...]
             [packages]

kkgen writes kk_gen.go for each package (default: the one in the current
directory) from its //kk: annotations, or prints every problem as
file:line:col: message and writes nothing.

`)
		fs.PrintDefaults()
		fmt.Fprint(stderr, `
-routes prints one route a line, for example:

  GET     /api/users/:id   GetUser    users.go:12   Auth, Audit, timeout 2s
  GET     /healthz         Healthz    health.go:5

Middleware added with Router.Use wraps every route and is not listed.
`)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0 // asked for
		}
		return 2
	}
	if err := doc.valid(); err != nil {
		fmt.Fprintln(stderr, "kkgen:", err)
		return 2
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(stderr, "kkgen:", err)
		return 1
	}
	files, diags := generate.Run(cwd, patterns)
	if len(diags) > 0 {
		fmt.Fprint(stderr, diags.Format(cwd))
		return 1
	}
	if *listRoutes {
		return printRoutes(stdout, stderr, cwd, files)
	}
	clients, diags := clientFiles(files, *clientDir, *tsFile) // clients.go
	if len(diags) > 0 {
		fmt.Fprint(stderr, diags.Format(cwd))
		return 1
	}
	files, err = doc.add(files) // openapi.go
	if err != nil {
		fmt.Fprintln(stderr, "kkgen:", err)
		return 1
	}
	files = append(files, clients...)
	code := 0
	for _, f := range files {
		if *checkOnly {
			diff, err := write.Check(relTo(cwd, f.Path), f.Content)
			if err != nil {
				fmt.Fprintln(stderr, "kkgen:", err)
				return 1
			}
			if diff != "" {
				fmt.Fprintf(stderr, "kkgen: %s is stale; run go generate:\n%s", relTo(cwd, f.Path), diff)
				code = 1
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil { // a -client directory
			fmt.Fprintln(stderr, "kkgen:", err)
			return 1
		}
		if _, err := write.File(f.Path, f.Content); err != nil {
			fmt.Fprintln(stderr, "kkgen:", err)
			return 1
		}
	}
	return code
}

func printRoutes(stdout, stderr io.Writer, cwd string, files []generate.File) int {
	var docs []templates.RouteDoc
	for _, f := range files {
		for _, r := range f.Model.Routes {
			docs = append(docs, templates.RouteDoc{
				Package: f.Model.Path, Method: r.Method, Pattern: r.Pattern.Raw, Handler: model.FuncName(r.Recv, r.Func),
				Pos: fmt.Sprintf("%s:%d", relTo(cwd, r.Pos.Filename), r.Pos.Line), Chain: chain(r),
			})
		}
	}
	if err := templates.Routes.Execute(stdout, docs); err != nil {
		fmt.Fprintln(stderr, "kkgen:", err)
		return 1
	}
	return 0
}

// chain lists the middleware the annotations put around a route, outermost
// first: its file's //kk:group use=, its //kk:use, its //kk:timeout. What
// the program adds with Router.Use wraps all of them and is not known here.
func chain(r model.Route) string {
	parts := append([]string(nil), r.Middleware...)
	if r.Timeout > 0 {
		parts = append(parts, "timeout "+r.Timeout.String())
	}
	return strings.Join(parts, ", ")
}

func relTo(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil {
		return rel
	}
	return path
}
