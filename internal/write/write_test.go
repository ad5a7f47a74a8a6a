package write

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckPrintsUnifiedDiff holds -check's output to the unified format
// (RFC-less but fixed by diff(1) and git): a ---/+++ header naming the
// file, @@ hunk headers with line ranges, and every changed line whole,
// however long.
func TestCheckPrintsUnifiedDiff(t *testing.T) {
	long := strings.Repeat("x", 300)
	old := "package p\n\nfunc A() {}\n// " + long + "\nfunc B() {}\n"
	gen := "package p\n\nfunc A() {}\n// " + long + "y\nfunc B() {}\n"
	path := filepath.Join(t.TempDir(), "kk_gen.go")
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	diff, err := Check(path, []byte(gen))
	if err != nil {
		t.Fatal(err)
	}
	want := "--- " + path + " (on disk)\n+++ " + path + " (generated)\n" +
		"@@ -1,5 +1,5 @@\n package p\n \n func A() {}\n-// " + long + "\n+// " + long + "y\n func B() {}\n"
	if diff != want {
		t.Errorf("Check diff:\n%s\nwant:\n%s", diff, want)
	}
	if diff, err := Check(path, []byte(old)); err != nil || diff != "" {
		t.Errorf("Check of identical content = %q, %v; want empty", diff, err)
	}
}
