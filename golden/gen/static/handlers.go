// Package static serves an embed.FS and an fs.FS with //kk:static, beside
// annotated routes under the same prefix.
package static

import (
	"embed"
	"io/fs"
	"os"

	kk "github.com/kommandkit/kk/runtime"
)

//go:generate go run github.com/kommandkit/kk/cmd/kkgen

// assets is served under /assets from its public directory.
//
//go:embed all:public
//kk:static /assets public
var assets embed.FS

// disk is a directory on disk, served under /disk.
//
//kk:static /disk
var disk fs.FS = os.DirFS("testdata/disk")

// Special is an annotated route under the static prefix: it wins.
//
//kk:route GET /assets/special
func Special() string { return "special route" }

// Upload takes a POST under the static prefix.
//
//kk:route POST /assets/upload
func Upload(c *kk.Ctx) string { return "uploaded" }
