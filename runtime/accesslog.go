package kk

import (
	"errors"
	"log/slog"
	"math"
	"time"
)

// AccessLog logs one line per request with logger (slog.Default() if nil),
// every line at Info: method, path, the matched route's pattern and
// handler, the status the response will carry (errors are mapped with
// Router.StatusOf, since they are rendered after the chain returns),
// duration, the body size of a success (BodySizes: a streamed body of
// unknown length has none, and no stream is read for it) or the message of a 4xx, the
// request ID when RequestID ran first, and the client's IP (Ctx.ClientIP,
// which believes only trusted proxies). A panic gets its line too, with
// status 500; the router logs the panic itself with its stack.
// AccessLogLevels logs the same lines at levels chosen by status.
func AccessLog(logger *slog.Logger) Middleware { return AccessLogLevels(logger, AccessLevels{}) }

// AccessLogLevels is AccessLog with a level policy: the level of each line
// by its status. StatusLevels() logs 5xx as Error and 4xx as Warn;
// LevelOff drops a class:
//
//	r.Use(kk.AccessLogLevels(logger, kk.StatusLevels()))
//	r.Use(kk.AccessLogLevels(logger, kk.AccessLevels{Success: kk.LevelOff, ClientError: slog.LevelWarn, ServerError: slog.LevelError}))
//
// A line below the logger's level costs no formatting.
func AccessLogLevels(logger *slog.Logger, lv AccessLevels) Middleware {
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

// logAccess writes AccessLogLevels's line for one request.
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
		if _, n := BodySizes(c); n >= 0 { // a stream of unknown length has none
			attrs = append(attrs, slog.Int64("bytes", n))
		}
	} else if status < 500 {
		attrs = append(attrs, slog.String("error", err.Error())) // 5xx are logged by the router
	}
	if id := RequestIDOf(c); id != "" {
		attrs = append(attrs, slog.String("request_id", id))
	}
	l.LogAttrs(ctx, level, "request", attrs...)
}

// AccessLevels is AccessLogLevels's level policy: the level of a request's
// line by the class of its status. The zero value logs every line at Info,
// as AccessLog does. A field set to LevelOff drops that
// class's lines.
type AccessLevels struct {
	Success     slog.Level // statuses below 400
	ClientError slog.Level // 4xx
	ServerError slog.Level // 5xx
}

// StatusLevels is the usual policy: 5xx at Error, 4xx at Warn, the rest
// at Info. It is a function so that no caller can change it for the rest.
func StatusLevels() AccessLevels {
	return AccessLevels{Success: slog.LevelInfo, ClientError: slog.LevelWarn, ServerError: slog.LevelError}
}

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
