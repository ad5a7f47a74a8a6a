// Package openapi writes the OpenAPI document of a package's routes from
// the model kkgen builds: 3.1 by default, 3.0.3 for tools that lack 3.1,
// and 3.2, which describes event streams by their items. The document is
// JSON built from maps, which encoding/json writes with sorted keys, so the
// same model always gives the same bytes.
package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/pattern"
)

// Versions are the accepted -openapi-version values and the version each
// document states.
var Versions = map[string]string{"3.0": "3.0.3", "3.1": "3.1.0", "3.2": "3.2.0"}

// Options are what the model does not say: the document's version and the
// API's title, version and servers.
type Options struct {
	Version    string   // "3.0", "3.1" (the default) or "3.2"
	Title      string   // info.title; the package's name when empty
	APIVersion string   // info.version; "0.0.0" when empty
	Servers    []string // servers[].url; "/" when empty
}

type obj = map[string]any

// doc is one document being written.
type doc struct {
	m       *model.Package
	v30     bool // 3.0: nullable and boolean exclusive bounds
	v32     bool // 3.2: itemSchema and additionalOperations
	handled map[int]bool
	opIDs   map[string]int
}

// Document returns the OpenAPI document for m, indented JSON ending in a
// newline.
func Document(m *model.Package, o Options) ([]byte, error) {
	if o.Version == "" {
		o.Version = "3.1"
	}
	full, ok := Versions[o.Version]
	if !ok {
		return nil, fmt.Errorf("unknown OpenAPI version %q (known: 3.0, 3.1, 3.2)", o.Version)
	}
	d := &doc{m: m, v30: o.Version == "3.0", v32: o.Version == "3.2", handled: map[int]bool{}, opIDs: map[string]int{}}
	for _, h := range m.ErrorHandlers {
		d.handled[h.Status] = true
	}
	for _, r := range m.Routes {
		d.opIDs[model.FuncName(r.Recv, r.Func)]++
	}
	info := obj{"title": o.Title, "version": o.APIVersion}
	if o.Title == "" {
		info["title"] = m.Name
	}
	if o.APIVersion == "" {
		info["version"] = "0.0.0"
	}
	if m.Doc != "" {
		info["description"] = m.Doc
	}
	if len(o.Servers) == 0 {
		o.Servers = []string{"/"} // the document's own origin, which is also OpenAPI's default
	}
	var servers []any
	for _, s := range o.Servers {
		servers = append(servers, obj{"url": s})
	}
	root := obj{"openapi": full, "info": info, "servers": servers, "paths": d.paths(), "components": d.components()}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// standard are the methods an OpenAPI path item has a field for; 3.2
// adds QUERY and takes any other under additionalOperations.
var standard = map[string]bool{"GET": true, "PUT": true, "POST": true, "DELETE": true, "OPTIONS": true, "HEAD": true, "PATCH": true, "TRACE": true}

func (d *doc) paths() obj {
	paths := obj{}
	for _, r := range d.m.Routes {
		op := d.operation(r)
		if op == nil {
			continue
		}
		path := templatePath(r.Pattern)
		item, _ := paths[path].(obj)
		if item == nil {
			item = obj{}
			paths[path] = item
		}
		switch {
		case standard[r.Method] || d.v32 && r.Method == "QUERY":
			item[strings.ToLower(r.Method)] = op
		case d.v32:
			extra, _ := item["additionalOperations"].(obj)
			if extra == nil {
				extra = obj{}
				item["additionalOperations"] = extra
			}
			extra[r.Method] = op
		default:
			// 3.0 and 3.1 have no field for other methods.
			extra, _ := item["x-kk-additional-operations"].(obj)
			if extra == nil {
				extra = obj{}
				item["x-kk-additional-operations"] = extra
			}
			extra[r.Method] = op
		}
	}
	return paths
}

// templatePath spells a kk pattern as an OpenAPI path template:
// /users/:id/*rest is /users/{id}/{rest}.
func templatePath(p pattern.Pattern) string {
	var b strings.Builder
	for _, s := range p.Segments {
		if s.Kind == pattern.Static {
			b.WriteString("/" + s.Text)
		} else {
			b.WriteString("/{" + s.Text + "}")
		}
	}
	return b.String()
}

func (d *doc) operationID(r model.Route) string {
	id := model.FuncName(r.Recv, r.Func)
	if d.opIDs[id] > 1 {
		id += "_" + strings.ToLower(r.Method) + "_" + strings.NewReplacer("/", "_", ":", "", "*", "", "{", "", "}", "").Replace(strings.Trim(r.Pattern.Raw, "/"))
	}
	return id
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Status " + strconv.Itoa(code)
}
