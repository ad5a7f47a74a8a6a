package apicheck

import (
	"context"
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
	for _, glob := range []string{"../../golden/gen/*/openapi*.json", "../../example/openapi*.json"} {
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
			doc, err := libopenapi.NewDocument(spec)
			if err != nil {
				t.Fatal(err)
			}
			v, errs := validator.NewValidator(doc)
			if len(errs) > 0 {
				t.Fatalf("building the validator: %v", errs)
			}
			ok, verrs := v.ValidateDocument()
			for _, e := range verrs {
				t.Errorf("%s", e.Message)
				for _, se := range e.SchemaValidationErrors {
					t.Errorf("  %s: %s", se.FieldPath, se.Reason)
				}
			}
			if !ok && len(verrs) == 0 {
				t.Error("invalid, with no errors reported")
			}
		})
	}
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
