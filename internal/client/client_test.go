package client

import (
	"go/token"
	"strings"
	"testing"

	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/pattern"
)

// TestDiagnostics: what a Go client cannot express is reported, and no
// files come back: a local type with its own MarshalJSON, a local name
// the client declares itself, a file upload, and a func handler named as
// a receiver's field.
func TestDiagnostics(t *testing.T) {
	pat, _ := pattern.Parse("/x")
	at := token.Position{Filename: "api.go", Line: 3, Column: 1}
	m := &model.Package{Name: "api", Path: "example.com/api", Routes: []model.Route{
		{Method: "POST", Pattern: pat, Func: "Upload", Pos: at, Result: model.ErrOnly,
			Args: []model.Arg{{Name: "f", Source: model.FromStruct, Struct: &model.Input{Type: model.Type{Path: "example.com/api", Name: "Form"},
				Fields: []model.Field{{Name: "File", Source: model.FromForm, Key: "file", Value: model.Scalar{File: true}}}}}}},
		{Method: "GET", Pattern: pat, Func: "Get", Recv: "Users", Pos: at, Result: model.ErrOnly},
		{Method: "PUT", Pattern: pat, Func: "Users", Pos: at, Result: model.ErrOnly},
	}}
	api := &model.API{
		Routes: []model.APIRoute{{Params: []model.Shape{{Kind: model.NamedShape, Type: model.Type{Path: "example.com/api", Name: "Form"}}}}, {}, {}},
		Types: []model.TypeDecl{
			{Type: model.Type{Path: "example.com/api", Name: "Error"}, Local: true, Underlying: model.Shape{Kind: model.BasicShape, Basic: "string"}},
			{Type: model.Type{Path: "example.com/api", Name: "Form"}, Local: true, Underlying: model.Shape{Kind: model.StructShape}},
			{Type: model.Type{Path: "example.com/api", Name: "Money"}, Local: true, MarshalJSON: true, Problem: "Money has its own MarshalJSON method"},
		},
	}
	files, diags := Generate(m, api, "apiclient", token.Position{Filename: "."})
	if files != nil {
		t.Error("files came back with diagnostics")
	}
	got := diags.Format("")
	for _, want := range []string{
		"the client cannot declare type Error: it clashes with the client's own Error",
		"the client cannot declare Money has its own MarshalJSON method",
		"the client cannot send the file file of Upload: multipart uploads are not supported",
		"the client cannot name the method of Users /x: it clashes with the field Users",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}
