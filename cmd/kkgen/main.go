// Command kkgen generates kk_gen.go, a compiled router, for packages whose
// funcs carry //kk:route annotations. Run it with go generate:
//
//	//go:generate go run github.com/kommandkit/kk/cmd/kkgen
//
// Usage:
//
//	kkgen [-check | -routes] [-openapi FILE [-openapi-version 3.1|3.0|3.2]
//	      [-title TITLE] [-version VERSION] [-server URL]...] [packages]
//
// With no packages it generates for the package in the current directory.
// It prints nothing on success. Problems in the annotations are printed as
// file:line:col diagnostics, all at once, and nothing is written. With
// -check it writes nothing and exits 1, printing a diff, when a committed
// kk_gen.go differs from what it would generate. With -routes it writes
// nothing and prints the route table. With -openapi it also writes the
// package's OpenAPI document to FILE, relative to the package directory
// (only if changed; -check covers it too); -title, -version and -server
// fill its info and servers (see docs/openapi.md).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

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
	checkOnly := fs.Bool("check", false, "write nothing; exit 1 with a diff if any kk_gen.go is stale or missing")
	listRoutes := fs.Bool("routes", false, "write nothing; print each route's method, pattern, handler and position")
	doc := docFlags(fs) // openapi.go
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kkgen [-check | -routes] [-openapi FILE [-openapi-version 3.1|3.0|3.2] [-title T] [-version V] [-server URL]...] [packages]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
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
	files, err = doc.add(files) // openapi.go
	if err != nil {
		fmt.Fprintln(stderr, "kkgen:", err)
		return 1
	}
	code := 0
	for _, f := range files {
		if *checkOnly {
			diff, err := write.Check(f.Path, f.Content)
			if err != nil {
				fmt.Fprintln(stderr, "kkgen:", err)
				return 1
			}
			if diff != "" {
				fmt.Fprintf(stderr, "kkgen: %s is stale; run go generate (-on disk, +generated now):\n%s", relTo(cwd, f.Path), diff)
				code = 1
			}
			continue
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
				Pos: fmt.Sprintf("%s:%d", relTo(cwd, r.Pos.Filename), r.Pos.Line),
			})
		}
	}
	if err := templates.Routes.Execute(stdout, docs); err != nil {
		fmt.Fprintln(stderr, "kkgen:", err)
		return 1
	}
	return 0
}

func relTo(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil {
		return rel
	}
	return path
}
