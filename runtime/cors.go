package kk

import (
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// CORSConfig configures CORS. Empty lists take the defaults noted.
type CORSConfig struct {
	AllowOrigins     []string // exact origins, or "*" for any (default "*")
	AllowMethods     []string // default: the methods routes serve at the preflight's path
	AllowHeaders     []string // default: whatever the preflight asks for
	ExposeHeaders    []string
	AllowCredentials bool          // never combined with a literal "*" origin
	MaxAge           time.Duration // how long browsers may cache a preflight
}

// CORS answers cross-origin requests: it adds Access-Control-* headers to
// responses for allowed origins and answers preflight OPTIONS requests
// itself with 204, allowing the methods routes serve at that path (the
// route table's answer, as a 405's Allow) unless AllowMethods fixes them;
// a preflight for a path no route serves is not answered. Install it with
// Router.Use, so it also sees preflights for paths that have no OPTIONS
// route. When the allowed origin it answers is the request's own (a list
// of origins, or credentials), every response it sees carries
// Vary: Origin, those to other origins and to requests without Origin
// too, so that caches keep one origin's answer from another.
func CORS(cfg CORSConfig) Middleware {
	origins := cfg.AllowOrigins
	if len(origins) == 0 {
		origins = []string{"*"}
	}
	fixed := strings.Join(cfg.AllowMethods, ", ")
	anyOrigin := false
	for _, o := range origins {
		anyOrigin = anyOrigin || o == "*"
	}
	allowed := func(origin string) bool {
		if anyOrigin {
			return true
		}
		for _, o := range origins {
			if strings.EqualFold(o, origin) {
				return true
			}
		}
		return false
	}
	echo := !anyOrigin || cfg.AllowCredentials // Access-Control-Allow-Origin is the request's origin, not "*"
	return func(next Handler) Handler {
		return func(c *Ctx) error {
			h := &c.Response.Header
			if echo {
				// The answer depends on Origin, so every response says so,
				// those without Access-Control-Allow-Origin too: a cache
				// must not hand one origin's answer to another (Fetch,
				// "CORS protocol and HTTP caches").
				addVary(h, "Origin") // vary.go
			}
			origin := string(c.Request.Header.Peek("Origin"))
			if origin == "" || !allowed(origin) {
				return next(c)
			}
			if echo {
				h.Set("Access-Control-Allow-Origin", origin)
			} else {
				h.Set("Access-Control-Allow-Origin", "*")
			}
			if cfg.AllowCredentials {
				h.Set("Access-Control-Allow-Credentials", "true")
			}
			preflight := c.IsOptions() && len(c.Request.Header.Peek("Access-Control-Request-Method")) > 0
			if !preflight {
				if len(cfg.ExposeHeaders) > 0 {
					h.Set("Access-Control-Expose-Headers", strings.Join(cfg.ExposeHeaders, ", "))
				}
				return next(c)
			}
			methods := fixed
			if methods == "" { // the path's own, from the route table (options.go)
				ms := pathMethods(c)
				if len(ms) == 0 {
					return next(c) // no route serves the path: no preflight answer
				}
				methods = strings.Join(ms, ", ")
			}
			h.Set("Access-Control-Allow-Methods", methods)
			if len(cfg.AllowHeaders) > 0 {
				h.Set("Access-Control-Allow-Headers", strings.Join(cfg.AllowHeaders, ", "))
			} else if req := c.Request.Header.Peek("Access-Control-Request-Headers"); len(req) > 0 {
				h.SetBytesV("Access-Control-Allow-Headers", req)
			}
			if cfg.MaxAge > 0 {
				h.Set("Access-Control-Max-Age", strconv.Itoa(int(cfg.MaxAge/time.Second)))
			}
			c.SetStatusCode(fasthttp.StatusNoContent)
			return nil
		}
	}
}
