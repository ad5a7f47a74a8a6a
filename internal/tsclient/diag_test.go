package tsclient

import (
	"go/token"
	"strings"
	"testing"

	"github.com/kommandkit/kk/internal/model"
)

// TestNames: a local type named like the module's own declarations is
// reported; an imported type whose name a local one takes gets its
// package's name in front.
func TestNames(t *testing.T) {
	local := model.Type{Path: "example.com/api", Name: "Socket"}
	mine := model.Type{Path: "example.com/api", Name: "Point"}
	theirs := model.Type{Path: "example.com/geo", PkgName: "geo", Name: "Point"}
	api := &model.API{Types: []model.TypeDecl{
		{Type: local, Local: true, Underlying: model.Shape{Kind: model.BasicShape, Basic: "string"}},
		{Type: mine, Local: true, Underlying: model.Shape{Kind: model.StructShape}},
		{Type: theirs, Underlying: model.Shape{Kind: model.StructShape}},
	}}
	_, diags := Generate(&model.Package{Path: "example.com/api"}, api, token.Position{Filename: "."})
	if got := diags.Format(""); !strings.Contains(got, "cannot declare type Socket") {
		t.Errorf("diagnostics %q, want the clash with Socket", got)
	}
	api.Types = api.Types[1:]
	src, diags := Generate(&model.Package{Path: "example.com/api"}, api, token.Position{Filename: "."})
	if len(diags) > 0 {
		t.Fatal(diags.Format(""))
	}
	for _, want := range []string{"export interface Point {}", "export interface GeoPoint {}"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("missing %q", want)
		}
	}
}
