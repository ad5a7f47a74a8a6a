package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUntidyModule loads a package of a module whose go.mod and go.sum do
// not yet cover kk, as after adding the import by hand and running go
// generate before go mod tidy. Without the check, what comes back is a type
// error from the incomplete kk.Ctx ("c.Request undefined"); with it, one
// diagnostic at go.mod that says to run go mod tidy, and nothing else.
func TestUntidyModule(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOFLAGS", "-mod=readonly")
	t.Setenv("GOWORK", "off")
	src := `package svc

import kk "github.com/kommandkit/kk/runtime"

//kk:route GET /x
func X(c *kk.Ctx) string { return string(c.Request.URI().Path()) }
`
	for _, tc := range []struct {
		name, require, want string
	}{
		// kk required, go.sum empty: kk's own imports have no checksums.
		{"no go.sum", "require github.com/kommandkit/kk v0.0.0\n", "missing go.sum entry for module providing package github.com/"},
		// kk not required at all.
		{"not required", "", "provides package github.com/kommandkit/kk/runtime and is replaced but not required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			gomod := "module example.com/svc\n\ngo 1.26.0\n\n" + tc.require + "\nreplace github.com/kommandkit/kk => " + root + "\n"
			write(t, filepath.Join(dir, "go.mod"), gomod)
			write(t, filepath.Join(dir, "h.go"), src)
			_, diags := Packages(dir, []string{"."})
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics, want 1:\n%s", len(diags), diags.Format(dir))
			}
			got := diags.Format(dir)
			if !strings.HasPrefix(got, "go.mod: the module's requirements are incomplete: ") ||
				!strings.Contains(got, tc.want) || !strings.HasSuffix(got, "; run go mod tidy, then go generate again\n") {
				t.Errorf("diagnostic:\n%s\nwant go.mod: ... %s ... run go mod tidy", got, tc.want)
			}
		})
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
