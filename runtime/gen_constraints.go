package kk

import (
	"regexp"
	"strconv"
	"unicode/utf8"
)

// Plumbing for the declared-constraint checks kk_gen.go's binders run
// (struct tags minLength, pattern, ...); not for handlers. They keep
// generated code free of imports the user's package could shadow.

// MustPattern compiles a pattern tag kkgen has already compiled once, for
// a package-level var of kk_gen.go: each pattern is compiled once per
// process.
func MustPattern(expr string) *regexp.Regexp { return regexp.MustCompile(expr) }

// RuneCount is a string's length as minLength and maxLength count it: in
// characters (code points), as JSON Schema does.
func RuneCount(s string) int { return utf8.RuneCountInString(s) }

// FieldIndex spells an item's index in the name of a nested field that
// fails its constraints (items[2].name); called only on failure.
func FieldIndex(i int) string { return strconv.Itoa(i) }
