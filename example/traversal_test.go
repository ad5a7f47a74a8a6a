package main

// The traversal table: request targets that try to reach one route
// through another's prefix (an encoded slash or dot, a double encoding, a
// backslash, mixed case, double slashes), each sent as raw bytes to the
// real kk server serving the example, checking which route answered and
// what its parameters held. RELIABILITY.md ("Paths") states the rule.
//
//	go test ./example -run TestTraversal -v

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"testing"

	kk "github.com/kommandkit/kk/runtime"
)

// traversal is one target and where it may land: the route pattern that
// must answer (with its parameters, joined by "|"), or "" for no route
// at all, and the status.
type traversal struct {
	target string
	route  string
	params string
	status int
}

// The example's routes this table aims at: the static root (/static/*path),
// params (/api/v1/users/:id, /api/v1/users/by-name/:name), a catch-all
// (/users/*rest) and plain static routes (/healthz, /api/v1/users).
var traversals = []traversal{
	// An encoded slash is never a separator: 400, whatever the route.
	{"/static/..%2fhealthz", "", "", 400},
	{"/static/..%2Fhealthz", "", "", 400},
	{"/static/..%2f..%2fapi%2fv1%2fusers", "", "", 400},
	{"/static/a%2f..%2f..%2fhealthz", "", "", 400},
	{"/api/v1/users/1%2f..%2f..%2f..%2fhealthz", "", "", 400},
	{"/api/v1/users/by-name/x%2F..%2F..%2Fusers", "", "", 400},
	{"/users/a%2fb", "", "", 400},
	{"/users/..%2f..%2fhealthz", "", "", 400},
	{"/healthz%2f", "", "", 400},
	// An encoded dot segment is never a dot segment: 400.
	{"/static/%2e%2e/healthz", "", "", 400},
	{"/static/%2E%2e/api/v1/users", "", "", 400},
	{"/static/.%2e/healthz", "", "", 400},
	{"/static/%2e./healthz", "", "", 400},
	{"/static/%2e/index.html", "", "", 400},
	{"/static/%2e%2e%2f%2e%2e%2fhealthz", "", "", 400},
	{"/api/v1/users/%2e%2e", "", "", 400},
	{"/api/v1/users/by-name/%2E%2E/x", "", "", 400},
	{"/users/%2e%2e/healthz", "", "", 400},
	{"/%2e%2e/healthz", "", "", 400},
	// Double encoding is decoded once: the segment is text, not a dot or a slash.
	{"/static/%252e%252e/healthz", "/static/*path", "%2e%2e/healthz", 404},
	{"/static/%252e%252e%252fhealthz", "/static/*path", "%2e%2e%2fhealthz", 404},
	{"/api/v1/users/by-name/a%252fb", "/api/v1/users/by-name/:name", "a%2fb", 400}, // not a valid handle
	{"/users/%252E%252E/healthz", "/users/*rest", "%2E%2E/healthz", 301},
	// A backslash is a byte of its segment, never a separator.
	{"/static/..%5chealthz", "/static/*path", `..\healthz`, 404},
	{"/static/..%5C..%5Cmain.go", "/static/*path", `..\..\main.go`, 404},
	{"/api/v1/users/by-name/..%5c..%5chealthz", "/api/v1/users/by-name/:name", `..\..\healthz`, 400},
	{"/users/..%5chealthz", "/users/*rest", `..\healthz`, 301},
	// Mixed case: routes are case-sensitive, escapes are not.
	{"/Static/index.html", "", "", 404},
	{"/STATIC/..%2Fhealthz", "", "", 400},
	{"/api/v1/users/by-name/%61%62", "/api/v1/users/by-name/:name", "ab", 404},
	{"/api/v1/users/by-name/%41%62", "/api/v1/users/by-name/:name", "Ab", 400},
	{"/users/A..", "/users/*rest", "A..", 301},
	{"/users/..A", "/users/*rest", "..A", 301},
	// Double slashes merge, within the route the path names.
	{"/static//healthz", "/static/*path", "healthz", 404},
	{"/static//..//healthz", "/healthz", "", 204},
	{"//healthz", "/healthz", "", 204},
	{"/users//a//b", "/users/*rest", "a/b", 301},
	{"/api/v1/users//by-name//xy", "/api/v1/users/by-name/:name", "xy", 404},
	// Dot segments as sent are resolved (RFC 3986 §5.2.4), and only to
	// the route the resolved path names; never above the root.
	{"/static/../healthz", "/healthz", "", 204},
	{"/static/./index.html", "/static/*path", "index.html", 200},
	{"/static/x/../index.html", "/static/*path", "index.html", 200},
	{"/static/../../../../healthz", "/healthz", "", 204},
	{"/../../static/index.html", "/static/*path", "index.html", 200},
	{"/api/v1/users/7/..", "", "", 404}, // "/api/v1/users/": no route has the slash
	{"/api/v1/users/7/../", "", "", 404},
	{"/api/v1/users/7/../../users", "/api/v1/users", "", 200},
	{"/users/a/./b/../c", "/users/*rest", "a/c", 301},
	// Dots inside a segment are not dot segments.
	{"/static/...", "/static/*path", "...", 404},
	{"/static/index.html.", "/static/*path", "index.html.", 404},
	// NUL decodes into its segment; no file is named by it.
	{"/static/index.html%00.css", "/static/*path", "index.html\x00.css", 404},
}

// TestTraversal sends every target and checks the route that answered,
// its parameters and the status: no target reaches a route its path as
// sent does not name.
func TestTraversal(t *testing.T) {
	addr, _ := hostileServer(t, limits{tune: func(r *kk.Router) { r.Use(tagRoute) }})
	if len(traversals) < 40 {
		t.Fatalf("%d cases; RELIABILITY.md promises at least 40", len(traversals))
	}
	got := make([]exchanged, len(traversals))
	var wg sync.WaitGroup
	for i, tc := range traversals {
		wg.Go(func() {
			got[i] = exchangeWait(addr, "GET "+tc.target+" HTTP/1.1\r\n"+host+"Connection: close\r\n\r\n", 1, true)
		})
	}
	wg.Wait()
	for i, tc := range traversals {
		t.Run(tc.target, func(t *testing.T) {
			e := got[i]
			if e.err != nil || len(e.resps) != 1 {
				t.Fatalf("%v; read %s", e.err, clip(e.raw))
			}
			r := e.resps[0]
			route, params := r.Header.Get("X-Test-Route"), r.Header.Get("X-Test-Params")
			if want := strconv.Quote(tc.params); tc.route != "" && params != want {
				t.Errorf("params %s, want %s", params, want)
			}
			if route != tc.route || r.StatusCode != tc.status {
				t.Errorf("answered %d by route %q; want %d by %q (body %s)",
					r.StatusCode, route, tc.status, tc.route, clip(e.bodies[0]))
			}
			for _, secret := range []string{"package main", "root:"} {
				if bytes.Contains(e.bodies[0], []byte(secret)) {
					t.Errorf("the body holds %q", secret)
				}
			}
		})
	}
}

// tagRoute names the route that answered and its raw parameters in
// response headers, for TestTraversal.
func tagRoute(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		if rt := c.Route(); rt != nil {
			c.Response.Header.Set("X-Test-Route", rt.Pattern)
			ps := make([]string, len(rt.Params))
			for i := range ps {
				ps[i] = c.Param(rt.Params[i])
			}
			c.Response.Header.Set("X-Test-Params", strconv.Quote(strings.Join(ps, "|")))
		}
		return next(c)
	}
}
