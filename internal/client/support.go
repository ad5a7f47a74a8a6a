package client

import (
	"embed"
	"strings"
)

// support holds the files every client gets, as the support package
// declares them.
//
//go:embed support/client.go support/errors.go support/events.go support/websocket.go
var support embed.FS

// supportFiles are the support files as package name, each with the
// generated-file header. The package doc of client.go is dropped.
func supportFiles(name string) []File {
	var out []File
	for _, f := range []string{"client.go", "errors.go", "events.go", "websocket.go"} {
		b, err := support.ReadFile("support/" + f)
		if err != nil {
			panic(err) // embedded above
		}
		src := string(b)
		i := strings.Index(src, "package support\n")
		src = "// " + Header + "\n\npackage " + name + "\n" + src[i+len("package support\n"):]
		out = append(out, File{Name: "kk_" + f, Content: []byte(src)})
	}
	return out
}
