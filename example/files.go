//kk:group /
package main

import (
	"embed"
	"fmt"
	"net/http"
	"strings"

	kk "github.com/kommandkit/kk/runtime"
)

// staticFiles is the embedded static directory, served under /static/
// by kk.Static: index.html for /static/, content types, ETags and 304s,
// ranges, and nothing outside the directory or hidden.
//
//go:embed static
//kk:static /static static
var staticFiles embed.FS

// Site serves the service's own pages: the index and, when Debug is set
// (-debug), the debug routes (debug.go).
type Site struct {
	Debug bool
}

// Index lists the routes the service serves, one per line.
//
//kk:route GET /
func (s *Site) Index(c *kk.Ctx) string {
	var b strings.Builder
	b.WriteString("kk example: users and todos\n\n")
	for _, r := range c.Router().Routes() {
		if !s.Debug && strings.HasPrefix(r.Pattern, debugPrefix) {
			continue
		}
		fmt.Fprintf(&b, "%-6s %-50s %s\n", r.Method, r.Pattern, r.Name)
	}
	return b.String()
}

// Healthz answers 204 while the server is up.
//
//kk:route GET /healthz
func Healthz() {}

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
