package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenAPIWrittenAndChecked: -openapi writes the document beside
// kk_gen.go (relative to the package), with the flags' title, version and
// servers; -check reports it stale once it differs, and regenerating
// restores it.
func TestOpenAPIWrittenAndChecked(t *testing.T) {
	src, err := os.ReadFile("testdata/ok/ok.go")
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("testdata", "_doc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	writeFile(t, filepath.Join(dir, "ok.go"), src)
	abs, _ := filepath.Abs(dir)
	args := []string{"-openapi", "api/doc.json", "-openapi-version", "3.0", "-title", "Hello API", "-version", "2.1.0", "-server", "https://a.example", "-server", "https://b.example"}
	if err := os.Mkdir(filepath.Join(abs, "api"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runIn(t, abs, args...); code != 0 || errOut != "" {
		t.Fatalf("kkgen %q = %d, %s", args, code, errOut)
	}
	path := filepath.Join(abs, "api", "doc.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string
		Info    struct{ Title, Version string }
		Servers []struct{ URL string }
		Paths   map[string]map[string]any
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.0.3" || doc.Info.Title != "Hello API" || doc.Info.Version != "2.1.0" || len(doc.Servers) != 2 || doc.Servers[1].URL != "https://b.example" || doc.Paths["/hello/{name}"]["get"] == nil {
		t.Errorf("document %s", b)
	}
	if code, _, errOut := runIn(t, abs, append([]string{"-check"}, args...)...); code != 0 || errOut != "" {
		t.Errorf("-check on a fresh document = %d, %s", code, errOut)
	}
	writeFile(t, path, []byte("{}\n"))
	if code, _, errOut := runIn(t, abs, append([]string{"-check"}, args...)...); code != 1 || !strings.Contains(errOut, "doc.json is stale") {
		t.Errorf("-check on a stale document = %d, %q", code, errOut)
	}
	if got, _ := os.ReadFile(path); string(got) != "{}\n" {
		t.Error("-check modified the document")
	}
	if code, _, _ := runIn(t, abs, args...); code != 0 {
		t.Fatal("regenerating failed")
	}
	if got, _ := os.ReadFile(path); string(got) != string(b) {
		t.Error("regenerating gave another document")
	}
}

// TestOpenAPIFlagsMisused: an unknown version, and document flags without
// -openapi, are usage errors.
func TestOpenAPIFlagsMisused(t *testing.T) {
	for _, args := range [][]string{{"-openapi", "x.json", "-openapi-version", "2.0"}, {"-title", "T"}, {"-server", "https://a.example"}} {
		if code, _, errOut := runIn(t, "testdata/ok", args...); code != 2 || errOut == "" {
			t.Errorf("kkgen %q = %d, %q; want 2 and a message", args, code, errOut)
		}
	}
	if x := filepath.Join(pkgDir, "testdata/ok/x.json"); fileExists(x) {
		os.Remove(x)
		t.Error("a document was written despite the bad version")
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
