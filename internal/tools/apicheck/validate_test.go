package apicheck

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// documents are the OpenAPI documents kkgen wrote into the repository: the
// golden cases' and the example's.
func documents(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, glob := range []string{"../../../golden/gen/*/openapi*.json", "../../../example/api/openapi*.json"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	if len(out) == 0 {
		t.Fatal("no OpenAPI documents found")
	}
	return out
}

// TestLibOpenAPIValidator checks every document against the OpenAPI
// schema of its version with pb33f's validator.
func TestLibOpenAPIValidator(t *testing.T) {
	for _, path := range documents(t) {
		t.Run(path, func(t *testing.T) {
			spec, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, msg := range libValidate(t, spec) {
				t.Error(msg)
			}
		})
	}
}

// TestValidatorsRefuseBrokenDocuments is the control: the same documents,
// each broken in a way the OpenAPI schema of its version forbids, are
// refused, so a pass above means something for 3.0, 3.1 and 3.2 alike.
func TestValidatorsRefuseBrokenDocuments(t *testing.T) {
	for _, file := range []string{"openapi.json", "openapi-3.0.json", "openapi-3.2.json"} {
		spec, err := os.ReadFile(filepath.Join("../../../golden/gen/apidoc", file))
		if err != nil {
			t.Fatal(err)
		}
		for name, broken := range map[string]func(map[string]any){
			"an unknown root field": func(d map[string]any) { d["bogus"] = true },
			"no info.title":         func(d map[string]any) { delete(d["info"].(map[string]any), "title") },
			"a response without text": func(d map[string]any) {
				op(d, "/pets/{id}", "get")["responses"].(map[string]any)["200"].(map[string]any)["description"] = 7
			},
		} {
			var d map[string]any
			if err := json.Unmarshal(spec, &d); err != nil {
				t.Fatal(err)
			}
			broken(d)
			b, _ := json.Marshal(d)
			if msgs := libValidate(t, b); len(msgs) == 0 {
				t.Errorf("%s with %s: libopenapi-validator found nothing wrong", file, name)
			}
			if file == "openapi-3.0.json" {
				loader := openapi3.NewLoader()
				doc, err := loader.LoadFromData(b)
				if err == nil && doc.Validate(context.Background()) == nil && name != "an unknown root field" {
					t.Errorf("%s with %s: kin-openapi found nothing wrong", file, name)
				}
			}
		}
	}
}

func op(d map[string]any, path, method string) map[string]any {
	return d["paths"].(map[string]any)[path].(map[string]any)[method].(map[string]any)
}

// libValidate lists what libopenapi-validator finds wrong with spec.
func libValidate(t *testing.T, spec []byte) []string {
	t.Helper()
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		return []string{err.Error()}
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		return []string{fmt.Sprint("building the validator: ", errs)}
	}
	ok, verrs := v.ValidateDocument()
	var out []string
	for _, e := range verrs {
		out = append(out, e.Message)
		for _, se := range e.SchemaValidationErrors {
			out = append(out, "  "+se.FieldPath+": "+se.Reason)
		}
	}
	if !ok && len(out) == 0 {
		out = append(out, "invalid, with no errors reported")
	}
	return out
}

// TestKinOpenAPI loads and validates every 3.0 document with kin-openapi,
// which checks 3.0 fully (its 3.1 support is partial).
func TestKinOpenAPI(t *testing.T) {
	n := 0
	for _, path := range documents(t) {
		if !strings.HasSuffix(path, "-3.0.json") {
			continue
		}
		n++
		t.Run(path, func(t *testing.T) {
			loader := openapi3.NewLoader()
			doc, err := loader.LoadFromFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := doc.Validate(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	if n == 0 {
		t.Fatal("no 3.0 documents found")
	}
}
