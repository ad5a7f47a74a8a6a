//go:build tools

// Package tools pins the commands this module's go:generate lines run, so
// `go mod tidy` keeps them and every checkout generates with the same
// versions. A module that uses kk does the same with
//
//	import _ "github.com/kommandkit/kk/cmd/kkgen"
//
// in its own tools.go, or, with Go 1.24 or later, `go get -tool
// github.com/kommandkit/kk/cmd/kkgen` and `//go:generate go tool kkgen`.
package tools

import _ "github.com/kommandkit/kk/cmd/kkgen"
