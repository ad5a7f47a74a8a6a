package main

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"

	kk "github.com/kommandkit/kk/runtime"
)

//go:embed static
var embedded embed.FS

// assets is the static directory, served under /static/.
var assets, _ = fs.Sub(embedded, "static")

// contentTypes maps the extensions of the embedded files to their content
// type. A fixed table keeps answers the same on every machine, unlike
// mime.TypeByExtension, which reads the system's tables.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
}

// Index lists the routes the service serves, one per line.
//
//kk:route GET /
func Index(c *kk.Ctx) string {
	var b strings.Builder
	b.WriteString("kk example: users and todos\n\n")
	for _, r := range c.Router().Routes() {
		fmt.Fprintf(&b, "%-6s %-50s %s\n", r.Method, r.Pattern, r.Name)
	}
	return b.String()
}

// Healthz answers 204 while the server is up.
//
//kk:route GET /healthz
func Healthz() {}

// Static serves an embedded file; the catch-all binds the rest of the
// path, so /static/css/site.css binds "css/site.css". A directory (the
// empty path, or one ending in '/') serves its index.html. It returns only
// an error and writes the body itself, so the answer is 200 with the
// file's own content type rather than 204.
//
//kk:route GET /static/*file
func Static(c *kk.Ctx, file string) error {
	if file == "" || strings.HasSuffix(file, "/") {
		file += "index.html"
	}
	b, err := fs.ReadFile(assets, file)
	if err != nil {
		return fmt.Errorf("static file %q: %w", file, ErrNotFound)
	}
	ct, ok := contentTypes[path.Ext(file)]
	if !ok {
		ct = "application/octet-stream"
	}
	c.SetContentType(ct)
	c.SetBody(b)
	return nil
}

// Moved redirects the paths the service used before its API moved under
// /api/v1 (GET /users/7 → /api/v1/users/7, query kept) with a 301, so old
// links and bookmarks keep working. Only GETs are redirected: a client
// that writes must learn the new paths. rest is the decoded path after
// /users/; the redirect reuses the request's own encoding of it.
//
//kk:route GET /users/*rest
func Moved(c *kk.Ctx, rest string) error { return moved(c) }

// MovedList redirects the old user list, GET /users, to /api/v1/users.
// It is a func of its own: on a pattern without :rest, Moved's rest
// parameter would bind the query key "rest" instead.
//
//kk:route GET /users
func MovedList(c *kk.Ctx) error { return moved(c) }

func moved(c *kk.Ctx) error {
	to := "/api/v1" + string(c.URI().PathOriginal())
	if q := c.URI().QueryString(); len(q) > 0 {
		to += "?" + string(q)
	}
	return kk.Redirect(c, to, http.StatusMovedPermanently)
}
