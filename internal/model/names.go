package model

import (
	"strings"
	"unicode"
)

// The names below must agree between the checker, the emitter and the
// runtime. They live here, once; a test in this package holds them to
// the runtime's own definitions.

// RuntimePath is the import path of the kk runtime, which kk_gen.go
// imports as kk.
const RuntimePath = "github.com/kommandkit/kk/runtime"

// BuildTag is set while kkgen loads a package, and kk_gen.go carries
// "//go:build !kkgen": a stale kk_gen.go, which may no longer compile
// against the handlers it was made from, is never part of what kkgen reads.
const BuildTag = "kkgen"

// MaxParams is kk.MaxParams: the size of the runtime's fixed parameter
// array, and so the most parameters a pattern may declare.
const MaxParams = 32

// Generated lists the package-level names kk_gen.go declares or imports
// besides those of the reserved form kk followed by an upper-case letter.
var Generated = []string{"kk", "errors", "NewRouter"}

// Reserved reports whether a package-level name of the user's would clash
// with kk_gen.go: one of Generated, or kk followed by an upper-case letter.
func Reserved(name string) bool {
	for _, g := range Generated {
		if name == g {
			return true
		}
	}
	rest, ok := strings.CutPrefix(name, "kk")
	return ok && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z'
}

// sourceNames are, per request source: the struct-tag key that binds a
// field to it, the words messages use for it (kk.In's String), and the
// runtime's kk.In constant for it.
var sourceNames = map[Source]struct{ tag, words, in string }{
	FromPath:   {"path", "path parameter", "InPath"},
	FromQuery:  {"query", "query parameter", "InQuery"},
	FromHeader: {"header", "header", "InHeader"},
	FromCookie: {"cookie", "cookie", "InCookie"},
	FromForm:   {"form", "form field", "InForm"},
}

// TagSources are the sources an input struct's fields bind from, in the
// order their tags are listed in messages.
var TagSources = []Source{FromPath, FromQuery, FromHeader, FromCookie, FromForm}

// Tag is the struct-tag key that binds a field to s ("path", "query", ...).
func (s Source) Tag() string { return sourceNames[s].tag }

// String is how messages name s ("path parameter", "header", ...), as
// kk.In's String does at run time.
func (s Source) String() string {
	if n, ok := sourceNames[s]; ok {
		return n.words
	}
	return "body"
}

// In is the name of the runtime's kk.In constant for s ("InPath", ...).
func (s Source) In() string { return sourceNames[s].in }

// LowerCamel is a Go name in lowerCamelCase, as the router's receiver
// parameters and the clients' methods and fields spell it: the leading
// upper-case run is lowered, keeping the last letter of a run that
// begins the next word, and a run followed only by a plural s is lowered
// whole: GetUser getUser, ID id, URLs urls, HTTPServer httpServer,
// APIKeys apiKeys, Todos todos.
func LowerCamel(s string) string {
	r := []rune(s)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	switch {
	case n == len(r), string(r[n:]) == "s": // ID, URLs
		n = len(r)
	case n > 1 && unicode.IsLower(r[n]): // HTTPServer
		n--
	}
	for i := 0; i < n; i++ {
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}
