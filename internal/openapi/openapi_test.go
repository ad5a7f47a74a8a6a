package openapi

import (
	"encoding/json"
	"testing"

	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/pattern"
)

func route(method, raw, fn string, mw ...string) model.Route {
	p, errs := pattern.Parse(raw)
	if len(errs) > 0 {
		panic(errs[0].Msg)
	}
	return model.Route{Method: method, Pattern: p, Func: fn, Middleware: mw, Result: model.ErrOnly}
}

// render writes m's document in version v and decodes it.
func render(t *testing.T, m *model.Package, v string) map[string]any {
	t.Helper()
	b, err := Document(m, Options{Version: v})
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	if d["openapi"] != Versions[v] {
		t.Errorf("openapi = %v; want %s", d["openapi"], Versions[v])
	}
	return d
}

func get(d any, keys ...string) any {
	for _, k := range keys {
		m, ok := d.(map[string]any)
		if !ok {
			return nil
		}
		d = m[k]
	}
	return d
}

// TestSecurityOnlyWhereWrapped: a //kk:security middleware puts its
// requirement and a 401 on the routes it wraps, and on no other.
func TestSecurityOnlyWhereWrapped(t *testing.T) {
	m := &model.Package{Name: "p",
		Routes:   []model.Route{route("GET", "/open", "Open", "Log"), route("POST", "/closed", "Closed", "Log", "Auth")},
		Security: map[string]model.Security{"Auth": {Kind: model.APIKeySecurity, In: "header", Key: "X-Key"}}}
	for _, v := range []string{"3.0", "3.1", "3.2"} {
		d := render(t, m, v)
		closed := get(d, "paths", "/closed", "post")
		if sec, _ := json.Marshal(get(closed, "security")); string(sec) != `[{"Auth":[]}]` {
			t.Errorf("%s: POST /closed security = %s; want [{\"Auth\":[]}]", v, sec)
		}
		if get(closed, "responses", "401") == nil {
			t.Errorf("%s: POST /closed has no 401", v)
		}
		open := get(d, "paths", "/open", "get")
		if sec, _ := json.Marshal(get(open, "security")); string(sec) != `[]` {
			t.Errorf("%s: GET /open security = %s; want []", v, sec)
		}
		if get(open, "responses", "401") != nil {
			t.Errorf("%s: GET /open lists a 401", v)
		}
		if s, _ := json.Marshal(get(d, "components", "securitySchemes", "Auth")); string(s) != `{"in":"header","name":"X-Key","type":"apiKey"}` {
			t.Errorf("%s: scheme = %s", v, s)
		}
	}
}

// TestNullable: a pointer is a type array in 3.1 and 3.2 and nullable in
// 3.0; a pointer to a component, anyOf it and null (3.0: allOf, beside
// its type).
func TestNullable(t *testing.T) {
	m := &model.Package{Name: "p", Schemas: []model.NamedSchema{
		{Name: "Owner", Object: true},
		{Name: "Pet", Object: true, Fields: []model.SchemaField{
			{Name: "weight", Schema: model.Schema{Kind: model.NumberSchema, Format: "double", Nullable: true}},
			{Name: "owner", Schema: model.Schema{Kind: model.RefSchema, Ref: "Owner", Nullable: true}},
		}},
	}}
	want := map[string][2]string{
		"3.0": {`{"format":"double","nullable":true,"type":"number"}`, `{"allOf":[{"$ref":"#/components/schemas/Owner"}],"nullable":true,"type":"object"}`},
		"3.1": {`{"format":"double","type":["number","null"]}`, `{"anyOf":[{"$ref":"#/components/schemas/Owner"},{"type":"null"}]}`},
		"3.2": {`{"format":"double","type":["number","null"]}`, `{"anyOf":[{"$ref":"#/components/schemas/Owner"},{"type":"null"}]}`},
	}
	for v, w := range want {
		d := render(t, m, v)
		for i, f := range []string{"weight", "owner"} {
			if got, _ := json.Marshal(get(d, "components", "schemas", "Pet", "properties", f)); string(got) != w[i] {
				t.Errorf("%s: %s = %s; want %s", v, f, got, w[i])
			}
		}
	}
}

// TestEventStream: 3.2 describes each event with itemSchema; 3.0 and 3.1
// describe the stream as a string and keep the item in an extension.
func TestEventStream(t *testing.T) {
	r := route("GET", "/events", "Events")
	r.Kind = model.EventStreamRoute
	m := &model.Package{Name: "p", Routes: []model.Route{r}}
	for _, v := range []string{"3.0", "3.1", "3.2"} {
		media := get(render(t, m, v), "paths", "/events", "get", "responses", "200", "content", "text/event-stream")
		item, schema := get(media, "itemSchema"), get(media, "schema")
		if v == "3.2" && (item == nil || schema != nil) {
			t.Errorf("3.2: event stream %v; want itemSchema only", media)
		}
		if v != "3.2" && (item != nil || get(schema, "type") != "string" || get(media, "x-kk-itemSchema") == nil) {
			t.Errorf("%s: event stream %v; want a string schema and x-kk-itemSchema", v, media)
		}
	}
}

// TestOtherMethods: a method OpenAPI has no field for goes under
// additionalOperations in 3.2, and under an extension before.
func TestOtherMethods(t *testing.T) {
	m := &model.Package{Name: "p", Routes: []model.Route{route("PROPFIND", "/dav/*path", "Find")}}
	if get(render(t, m, "3.2"), "paths", "/dav/{path}", "additionalOperations", "PROPFIND") == nil {
		t.Error("3.2: PROPFIND is not under additionalOperations")
	}
	if get(render(t, m, "3.1"), "paths", "/dav/{path}", "x-kk-additional-operations", "PROPFIND") == nil {
		t.Error("3.1: PROPFIND is not under x-kk-additional-operations")
	}
}

// TestUnknownVersion is an error, not a document.
func TestUnknownVersion(t *testing.T) {
	if _, err := Document(&model.Package{Name: "p"}, Options{Version: "2.0"}); err == nil {
		t.Error("version 2.0 accepted")
	}
}

// TestSameShapePaths: templates that differ only in parameter names are
// one path (OpenAPI forbids both), with the first route's names; a
// catch-all route of the same shape and method goes under x-kk-catch-all.
func TestSameShapePaths(t *testing.T) {
	byID := route("GET", "/users/:id", "Get")
	byID.Args = []model.Arg{{Name: "id", Key: "id", Source: model.FromPath}}
	del := route("DELETE", "/users/:slug", "Delete")
	del.Args = []model.Arg{{Name: "slug", Key: "slug", Source: model.FromPath}}
	rest := route("GET", "/users/*rest", "Rest")
	rest.Args = []model.Arg{{Name: "rest", Key: "rest", Source: model.FromPath}}
	m := &model.Package{Name: "p", Routes: []model.Route{rest, byID, del}}
	d := render(t, m, "3.1")
	paths := get(d, "paths").(map[string]any)
	if len(paths) != 1 || paths["/users/{id}"] == nil {
		t.Fatalf("paths %v; want only /users/{id}", paths)
	}
	for _, at := range [][]string{{"delete"}, {"get"}, {"x-kk-catch-all", "get"}} {
		op := get(paths["/users/{id}"], at...)
		name := get(op, "parameters").([]any)[0].(map[string]any)["name"]
		if name != "id" {
			t.Errorf("%v: path parameter %v; want id", at, name)
		}
	}
	if get(paths["/users/{id}"], "get", "operationId") != "Get" || get(paths["/users/{id}"], "x-kk-catch-all", "get", "operationId") != "Rest" {
		t.Errorf("the parameter route is not the path's get, or the catch-all not under x-kk-catch-all: %v", paths)
	}
}

// TestBoundsAndFormat30: 3.0 spells an exclusive bound as a flag on
// minimum or maximum, which must not loosen a tighter inclusive bound
// declared beside it; a format beside a $ref goes under allOf, as 3.0
// ignores a $ref's siblings.
func TestBoundsAndFormat30(t *testing.T) {
	num := model.Schema{Kind: model.NumberSchema, Format: "double"}
	m := &model.Package{Name: "p", Schemas: []model.NamedSchema{
		{Name: "ID", Base: model.Schema{Kind: model.StringSchema}, Enum: []string{`"a"`}},
		{Name: "T", Object: true, Fields: []model.SchemaField{
			{Name: "tight", Schema: num, Constraints: model.Constraints{Minimum: "5", ExclusiveMinimum: "0", Maximum: "10", ExclusiveMaximum: "20"}},
			{Name: "loose", Schema: num, Constraints: model.Constraints{Minimum: "0", ExclusiveMinimum: "5", Maximum: "20", ExclusiveMaximum: "10"}},
			{Name: "id", Schema: model.Schema{Kind: model.RefSchema, Ref: "ID"}, Constraints: model.Constraints{Format: "uuid"}},
		}},
	}}
	want := map[string]map[string]string{
		"3.0": {
			"tight": `{"format":"double","maximum":10,"minimum":5,"type":"number"}`,
			"loose": `{"exclusiveMaximum":true,"exclusiveMinimum":true,"format":"double","maximum":10,"minimum":5,"type":"number"}`,
			"id":    `{"allOf":[{"$ref":"#/components/schemas/ID"}],"format":"uuid"}`,
		},
		"3.1": {
			"tight": `{"exclusiveMaximum":20,"exclusiveMinimum":0,"format":"double","maximum":10,"minimum":5,"type":"number"}`,
			"id":    `{"allOf":[{"$ref":"#/components/schemas/ID"}],"format":"uuid"}`,
		},
	}
	for v, fields := range want {
		d := render(t, m, v)
		for f, w := range fields {
			if got, _ := json.Marshal(get(d, "components", "schemas", "T", "properties", f)); string(got) != w {
				t.Errorf("%s: %s = %s; want %s", v, f, got, w)
			}
		}
	}
}
