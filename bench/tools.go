//go:build tools

// Package tools pins the commands go generate runs in this module.
package tools

import _ "github.com/kommandkit/kk/cmd/kkgen"
