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

	"github.com/aymanbagabas/go-udiff"
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
// match, else a unified diff from the file on disk to content, labelled
// with path (the form git diff and patch read).
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
	return Diff(path+" (on disk)", path+" (generated)", string(old), string(content)), nil
}

// Diff is a unified diff from old to new with three lines of context,
// every line whole: generated files have long lines, and a diff that cuts
// them hides the change. Labels name the two sides in the ---/+++ header.
func Diff(oldLabel, newLabel, old, new string) string {
	return udiff.Unified(oldLabel, newLabel, old, new)
}
