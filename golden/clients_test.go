package golden

import (
	"errors"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/kommandkit/kk/internal/client"
	"github.com/kommandkit/kk/internal/generate"
	"github.com/kommandkit/kk/internal/tsclient"
)

// compareClients compares the clients of a generator case with its
// client/ directory and client.ts file, for the cases that have them.
func compareClients(t *testing.T, f generate.File) {
	t.Helper()
	dir := filepath.Dir(f.Path)
	at := token.Position{Filename: dir}
	if exists(t, filepath.Join(dir, "client")) {
		if len(f.APIDiags) > 0 {
			t.Fatalf("describing the API's types:\n%s", f.APIDiags.Format(dir))
		}
		files, diags := client.Generate(f.Model, f.API, "client", at)
		if len(diags) > 0 {
			t.Fatalf("kkgen -client reported:\n%s", diags.Format(dir))
		}
		for _, cf := range files {
			compare(t, filepath.Join(dir, "client", cf.Name), cf.Content)
		}
	}
	if exists(t, filepath.Join(dir, "client.ts")) {
		src, diags := tsclient.Generate(f.Model, f.API, at)
		if len(diags) > 0 {
			t.Fatalf("kkgen -ts reported:\n%s", diags.Format(dir))
		}
		compare(t, filepath.Join(dir, "client.ts"), src)
	}
}

func exists(t *testing.T, path string) bool {
	_, err := os.Stat(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return err == nil
}
