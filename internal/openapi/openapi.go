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
	// OpenAPI forbids two path templates that differ only in parameter
	// names, which kk allows (GET /users/:id, DELETE /users/:slug): each
	// shape is written once, with the names of its first route, and the
	// other routes' path parameters are renamed by position. Routes ending
	// in a catch-all are placed last: where one has the shape of a
	// parameter route of the same method (GET /users/:id, GET
	// /users/*rest), which no template can tell apart, it goes under the
	// path item's x-kk-catch-all extension.
	names := map[string][]string{} // shape → parameter names
	var routes []model.Route
	for _, catchAll := range []bool{false, true} {
		for _, r := range d.m.Routes {
			if endsInCatchAll(r.Pattern) == catchAll {
				routes = append(routes, r)
			}
		}
	}
	for _, r := range routes {
		op := d.operation(r)
		if op == nil {
			continue
		}
		shape := templateShape(r.Pattern)
		canon, seen := names[shape]
		if !seen {
			canon = r.Pattern.Params()
			names[shape] = canon
		}
		renameParams(op, r.Pattern.Params(), canon)
		path := templatePath(r.Pattern, canon)
		item, _ := paths[path].(obj)
		if item == nil {
			item = obj{}
			paths[path] = item
		}
		key := strings.ToLower(r.Method)
		target := item
		switch {
		case standard[r.Method] || d.v32 && r.Method == "QUERY":
		case d.v32:
			target, key = sub(item, "additionalOperations"), r.Method
		default:
			// 3.0 and 3.1 have no field for other methods.
			target, key = sub(item, "x-kk-additional-operations"), r.Method
		}
		if _, taken := target[key]; taken {
			target = sub(item, "x-kk-catch-all")
		}
		target[key] = op
	}
	return paths
}

// sub is the object under key in item, made when missing.
func sub(item obj, key string) obj {
	o, _ := item[key].(obj)
	if o == nil {
		o = obj{}
		item[key] = o
	}
	return o
}

func endsInCatchAll(p pattern.Pattern) bool {
	return len(p.Segments) > 0 && p.Segments[len(p.Segments)-1].Kind == pattern.CatchAll
}

// templateShape is p with its parameters' names left out.
func templateShape(p pattern.Pattern) string {
	var b strings.Builder
	for _, s := range p.Segments {
		if s.Kind == pattern.Static {
			b.WriteString("/" + s.Text)
		} else {
			b.WriteString("/{}")
		}
	}
	return b.String()
}

// renameParams gives op's path parameters the names canon has at their
// positions in own.
func renameParams(op obj, own, canon []string) {
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		po := p.(obj)
		if po["in"] != "path" {
			continue
		}
		for i, n := range own {
			if po["name"] == n && i < len(canon) {
				po["name"] = canon[i]
				break
			}
		}
	}
}

// templatePath spells a kk pattern as an OpenAPI path template with the
// parameter names given: /users/:id/*rest is /users/{id}/{rest}.
func templatePath(p pattern.Pattern, names []string) string {
	var b strings.Builder
	i := 0
	for _, s := range p.Segments {
		if s.Kind == pattern.Static {
			b.WriteString("/" + s.Text)
		} else {
			b.WriteString("/{" + names[i] + "}")
			i++
		}
	}
	return b.String()
}

// operationID is the handler's name, with the method and path when the
// handler serves several routes; a byte that is not URL-safe (Go's
// identifiers may be größe) is written _XX in hex.
func (d *doc) operationID(r model.Route) string {
	id := model.FuncName(r.Recv, r.Func)
	if d.opIDs[id] > 1 {
		id += "_" + strings.ToLower(r.Method) + "_" + strings.NewReplacer("/", "_", ":", "", "*", "", "{", "", "}", "").Replace(strings.Trim(r.Pattern.Raw, "/"))
	}
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "_%02X", c)
		}
	}
	return b.String()
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Status " + strconv.Itoa(code)
}
