// Package write commits generated files to disk, separately from
// generating them: a file is written only when its content changed, so
// modification times and build caches stay put, and Check reports a stale
// file with a diff instead of writing it.
package write

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strings"

	"github.com/google/go-cmp/cmp"
)

// File writes content to path unless the file already holds exactly that.
// It reports whether it wrote.
func File(path string, content []byte) (bool, error) {
	old, err := os.ReadFile(path)
	if err == nil && bytes.Equal(old, content) {
		return false, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	return true, os.WriteFile(path, content, 0o644)
}

// Check compares content with the file at path and returns "" when they
// match, else a line diff (- on disk, + generated now).
func Check(path string, content []byte) (string, error) {
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path + " does not exist\n", nil
	}
	if err != nil {
		return "", err
	}
	if bytes.Equal(old, content) {
		return "", nil
	}
	return Diff(string(old), string(content)), nil
}

// Diff is a readable line diff of want against got.
func Diff(old, new string) string {
	return cmp.Diff(strings.Split(old, "\n"), strings.Split(new, "\n"))
}
