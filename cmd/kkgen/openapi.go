package main

import (
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/kommandkit/kk/internal/generate"
	"github.com/kommandkit/kk/internal/openapi"
)

// docOptions are the flags of the OpenAPI document.
type docOptions struct {
	file    *string
	opts    openapi.Options
	servers serverList
}

type serverList []string

func (s *serverList) String() string     { return strings.Join(*s, ",") }
func (s *serverList) Set(v string) error { *s = append(*s, v); return nil }

func docFlags(fs *flag.FlagSet) *docOptions {
	d := &docOptions{}
	d.file = fs.String("openapi", "", "also write the package's OpenAPI document to `FILE`, relative to the package directory")
	fs.StringVar(&d.opts.Version, "openapi-version", "3.1", "the document's OpenAPI `version`: 3.1, 3.0 (3.0.3) or 3.2")
	fs.StringVar(&d.opts.Title, "title", "", "the document's info.title (default: the package's name)")
	fs.StringVar(&d.opts.APIVersion, "version", "", "the document's info.version, the API's own version (default: 0.0.0)")
	fs.Var(&d.servers, "server", "a server `URL` for the document; repeat for several")
	return d
}

func (d *docOptions) valid() error {
	if _, ok := openapi.Versions[d.opts.Version]; !ok {
		return fmt.Errorf("-openapi-version %q: want 3.1, 3.0 or 3.2", d.opts.Version)
	}
	if *d.file == "" && (d.opts.Title != "" || d.opts.APIVersion != "" || len(d.servers) > 0) {
		return errors.New("-title, -version and -server describe the document that -openapi FILE writes")
	}
	return nil
}

// add appends each package's document to files, when -openapi is given.
func (d *docOptions) add(files []generate.File) ([]generate.File, error) {
	if *d.file == "" {
		return files, nil
	}
	d.opts.Servers = d.servers
	out := files
	for _, f := range files {
		b, err := openapi.Document(f.Model, d.opts)
		if err != nil {
			return nil, err
		}
		path := *d.file
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(f.Path), path)
		}
		out = append(out, generate.File{Path: path, Content: b, Model: f.Model})
	}
	return out, nil
}
