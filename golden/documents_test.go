package golden

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kommandkit/kk/internal/model"
	"github.com/kommandkit/kk/internal/openapi"
)

// documentVersions maps the document files a generator case may hold to
// the OpenAPI version each is written in.
var documentVersions = map[string]string{"openapi.json": "3.1", "openapi-3.0.json": "3.0", "openapi-3.2.json": "3.2"}

// compareDocuments checks every OpenAPI document a case holds against what
// kkgen -openapi writes for m (with -update, rewrites them). A case opts
// in by holding the file, empty at first.
func compareDocuments(t *testing.T, dir string, m *model.Package) {
	t.Helper()
	for file, version := range documentVersions {
		path := filepath.Join(dir, file)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		doc, err := openapi.Document(m, openapi.Options{Version: version})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		compare(t, path, doc)
	}
}
