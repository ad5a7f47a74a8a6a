package static

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCleanName checks the name check on its own, below the router's
// path normalisation: it must refuse every way out on its own.
func TestCleanName(t *testing.T) {
	for _, tc := range []struct {
		raw   string
		name  string
		isDir bool
		ok    bool
	}{
		{"", ".", true, true},
		{"a.txt", "a.txt", false, true},
		{"a/b.txt", "a/b.txt", false, true},
		{"a/", "a", true, true},
		{"café/ü.txt", "café/ü.txt", false, true},
		{"..", "", false, false},
		{"../x", "", false, false},
		{"a/../x", "", false, false},
		{"a/./x", "", false, false},
		{".", "", false, false},
		{".env", "", false, false},
		{"a/.git/config", "", false, false},
		{"/etc/passwd", "", false, false},
		{"a//b", "", false, false},
		{"a//", "", false, false},
		{"/", "", false, false},
		{`..\x`, "", false, false},
		{`a\b`, "", false, false},
		{"a\x00b", "", false, false},
		{"a\nb", "", false, false},
		{"\xc0\xae\xc0\xae/x", "", false, false}, // overlong UTF-8 "."
		{"\xe0\x80\xae", "", false, false},
		{"\xff", "", false, false},
		{"%2e%2e/x", "%2e%2e/x", false, true}, // a literal name: decoded once, never again
	} {
		name, isDir, ok := CleanName([]byte(tc.raw))
		if name != tc.name || isDir != tc.isDir || ok != tc.ok {
			t.Errorf("CleanName(%q) = %q, %v, %v; want %q, %v, %v", tc.raw, name, isDir, ok, tc.name, tc.isDir, tc.ok)
		}
	}
}

// TestStaticStreamsLargeFiles checks that a large file is hashed and sent
// without being held in memory.
func TestStaticStreamsLargeFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), make([]byte, 4<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "small.txt"), []byte("small"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := New(os.DirFS(dir), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"big.bin", "small.txt"} {
		f, err := s.Find(name, false)
		if err != nil || f == nil {
			t.Fatalf("find(%s) = %v, %v", name, f, err)
		}
		if err := f.Load(s); err != nil {
			t.Fatal(err)
		}
		if held := f.Data != nil; held != (name == "small.txt") {
			t.Errorf("%s held in memory: %v", name, held)
		}
	}
	if got := s.held.Load(); got != int64(len("small")) {
		t.Errorf("bytes held = %d; want %d", got, len("small"))
	}
	// A changed file replaces its entry, and the old content is let go.
	if err := os.WriteFile(filepath.Join(dir, "small.txt"), []byte("smaller!"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := s.Find("small.txt", false)
	if err != nil || f == nil || f.Load(s) != nil || string(f.Data) != "smaller!" {
		t.Fatalf("after the change: %v %v", f, err)
	}
	if got := s.held.Load(); got != int64(len("smaller!")) {
		t.Errorf("bytes held after the change = %d; want %d", got, len("smaller!"))
	}
}
