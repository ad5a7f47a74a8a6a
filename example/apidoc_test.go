package main

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestAPIDocs: the documents go generate wrote are served from the
// binary, byte for byte; the 3.1 one lists every route of the router but
// the static trees, and puts the bearer requirement, with its 401, on
// exactly the routes Auth.Require wraps.
func TestAPIDocs(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	for _, name := range []string{"openapi.json", "openapi-3.0.json", "openapi-3.2.json"} {
		want, err := apiDocs.ReadFile("api/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, body := c.want("GET", "/api-docs/"+name, 200, "application/json"); body != string(want) {
			t.Errorf("GET /api-docs/%s differs from the embedded file", name)
		}
	}
	raw, _ := apiDocs.ReadFile("api/openapi.json")
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string                `json:"operationId"`
			Security    []map[string][]string `json:"security"`
			Responses   map[string]any        `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var got, secured []string
	for path, item := range doc.Paths {
		for method, op := range item {
			got = append(got, strings.ToUpper(method)+" "+path)
			_, has401 := op.Responses["401"]
			if len(op.Security) == 1 && len(op.Security[0]["Auth.Require"]) == 0 && op.Security[0]["Auth.Require"] != nil {
				secured = append(secured, strings.ToUpper(method)+" "+path)
				if !has401 {
					t.Errorf("%s %s needs a bearer token but lists no 401", method, path)
				}
			} else if has401 {
				t.Errorf("%s %s lists a 401 but no security requirement", method, path)
			}
		}
	}
	var want, writes []string
	for _, r := range testRouter(t).Routes() {
		if r.Name == "staticFiles" || r.Name == "apiDocs" {
			continue // //kk:static trees, which the document leaves out
		}
		route := r.Method + " " + param.ReplaceAllString(r.Pattern, "/{$1}")
		want = append(want, route)
		if r.Method != "GET" && strings.HasPrefix(r.Pattern, "/api/v1/") {
			writes = append(writes, route)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the document's operations\n%q\nare not the router's routes\n%q", got, want)
	}
	// Every write to the API, and nothing else, takes the token (auth.go).
	slices.Sort(secured)
	slices.Sort(writes)
	if len(writes) == 0 || !slices.Equal(secured, writes) {
		t.Errorf("operations needing a bearer token:\n%q\nwant the API's writes:\n%q", secured, writes)
	}
}

// param matches a pattern's :name or *name segment.
var param = regexp.MustCompile(`/[:*]([A-Za-z_][A-Za-z0-9_]*)`)
