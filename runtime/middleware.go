package kk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// AccessLog logs one line per request with logger (slog.Default() if nil):
// method, path, the matched route's pattern and handler, the status the
// response will carry (errors are mapped with Router.StatusOf, since they
// are rendered after the chain returns), duration, the body size of a
// success or the message of a 4xx, and the request ID when RequestID ran
// first, and the client's IP (Ctx.ClientIP, which believes only trusted
// proxies). A panic gets its line too, with status 500; the router logs
// the panic itself with its stack.
//
// levels, at most one, is the level policy: the level of each line by its
// status. Without it every line is Info; StatusLevels logs 5xx as Error
// and 4xx as Warn; LevelOff drops a class:
//
//	r.Use(kk.AccessLog(logger, kk.StatusLevels))
//	r.Use(kk.AccessLog(logger, kk.AccessLevels{Success: kk.LevelOff, ClientError: slog.LevelWarn, ServerError: slog.LevelError}))
//
// A line below the logger's level costs no formatting.
func AccessLog(logger *slog.Logger, levels ...AccessLevels) Middleware {
	var lv AccessLevels
	switch len(levels) {
	case 0:
	case 1:
		lv = levels[0]
	default:
		panic("kk: AccessLog takes at most one AccessLevels")
	}
	return func(next Handler) Handler {
		return func(c *Ctx) error {
			start := time.Now()
			returned := false
			defer func() {
				if !returned { // a panic: the router answers 500, and the line says so
					logAccess(c, logger, lv, start, 500, errHandlerPanic)
				}
			}()
			err := next(c)
			returned = true
			status := c.Response.StatusCode()
			if err != nil {
				status = c.Router().StatusOf(err)
			}
			logAccess(c, logger, lv, start, status, err)
			return err
		}
	}
}

// errHandlerPanic stands for a panic's error in its access-log line; the
// router logs the panic itself.
var errHandlerPanic = errors.New("kk: handler panic")

// logAccess writes AccessLog's line for one request.
func logAccess(c *Ctx, logger *slog.Logger, lv AccessLevels, start time.Time, status int, err error) {
	level := lv.of(status)
	l := logger
	if l == nil {
		l = slog.Default()
	}
	ctx := c.Context()
	if level == LevelOff || !l.Enabled(ctx, level) {
		return
	}
	route, name := "", ""
	if r := c.Route(); r != nil {
		route, name = r.Pattern, r.Name
	}
	attrs := []slog.Attr{
		slog.String("method", string(c.Method())), slog.String("path", string(c.Path())),
		slog.String("route", route), slog.String("handler", name), slog.Int("status", status),
		slog.Duration("duration", time.Since(start)), slog.String("client_ip", clientIP(c)),
	}
	if err == nil {
		attrs = append(attrs, slog.Int("bytes", len(c.Response.Body())))
	} else if status < 500 {
		attrs = append(attrs, slog.String("error", err.Error())) // 5xx are logged by the router
	}
	if id := RequestIDOf(c); id != "" {
		attrs = append(attrs, slog.String("request_id", id))
	}
	l.LogAttrs(ctx, level, "request", attrs...)
}

// AccessLevels is AccessLog's level policy: the level of a request's line
// by the class of its status. The zero value logs every line at Info, as
// AccessLog without a policy does. A field set to LevelOff drops that
// class's lines.
type AccessLevels struct {
	Success     slog.Level // statuses below 400
	ClientError slog.Level // 4xx
	ServerError slog.Level // 5xx
}

// StatusLevels is the usual policy: 5xx at Error, 4xx at Warn, the rest
// at Info.
var StatusLevels = AccessLevels{Success: slog.LevelInfo, ClientError: slog.LevelWarn, ServerError: slog.LevelError}

// LevelOff, as a field of AccessLevels, turns that class's lines off. It
// is never passed to a logger.
const LevelOff = slog.Level(math.MaxInt32)

func (lv AccessLevels) of(status int) slog.Level {
	switch {
	case status >= 500:
		return lv.ServerError
	case status >= 400:
		return lv.ClientError
	}
	return lv.Success
}

// RequestIDHeader is the header RequestID reads and writes.
const RequestIDHeader = "X-Request-ID"

type requestIDKey struct{}

// RequestID gives every request an ID: the client's X-Request-ID when it
// sent a reasonable one, else 16 random hex characters. The ID is echoed in
// the response header and available to handlers as RequestIDOf(c).
func RequestID() Middleware {
	return func(next Handler) Handler {
		return func(c *Ctx) error {
			if RequestIDOf(c) != "" {
				return next(c) // an outer RequestID already gave one
			}
			id := string(c.Request.Header.Peek(RequestIDHeader))
			if !validRequestID(id) {
				var b [8]byte
				_, _ = rand.Read(b[:])
				id = hex.EncodeToString(b[:])
			}
			c.Response.Header.Set(RequestIDHeader, id)
			c.SetUserValue(requestIDKey{}, id)
			return next(c)
		}
	}
}

// RequestIDOf is the ID RequestID gave the request, or "". It takes any
// context of the request: the *kk.Ctx, c.Context() or one derived from it.
func RequestIDOf(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] >= 0x7f {
			return false
		}
	}
	return true
}

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
// route.
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
	return func(next Handler) Handler {
		return func(c *Ctx) error {
			origin := string(c.Request.Header.Peek("Origin"))
			if origin == "" || !allowed(origin) {
				return next(c)
			}
			h := &c.Response.Header
			if anyOrigin && !cfg.AllowCredentials {
				h.Set("Access-Control-Allow-Origin", "*")
			} else {
				h.Set("Access-Control-Allow-Origin", origin)
				h.Add("Vary", "Origin")
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

// Timeout gives the handler a context deadline d from now (through
// *kk.Ctx and a context.Context parameter alike). If the deadline has
// passed when the handler returns, whatever it wrote is discarded and the
// answer is 503. The timeout is cooperative: a handler that ignores its
// context runs to the end, and only then is turned into a 503.
func Timeout(d time.Duration) Middleware {
	return func(next Handler) Handler {
		return func(c *Ctx) error {
			saved := c.ctx
			ctx, cancel := context.WithTimeout(c.Context(), d)
			c.ctx = ctx
			err := next(c)
			timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
			cancel()
			c.ctx = saved
			if timedOut {
				c.Response.ResetBody()
				return &StatusError{Status: fasthttp.StatusServiceUnavailable,
					Msg: fmt.Sprintf("%s %s: handler passed its %v timeout", c.Method(), c.Path(), d), Err: err}
			}
			return err
		}
	}
}
