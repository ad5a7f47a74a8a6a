// Package stdmw covers the runtime's standard middleware used as //kk:use
// vars: kk.AccessLog, kk.RequestID, kk.Timeout and kk.CORS on one route
// (where it never sees a preflight, since no OPTIONS route exists). The
// test also installs them router-wide with Router.Use.
package stdmw

import (
	"bytes"
	"context"
	"log/slog"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// accessLog collects the access log of the //kk:use Logged routes as JSON
// lines, without the time and duration, which vary.
var accessLog bytes.Buffer

func newLogger(w *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == "duration" {
			return slog.Attr{}
		}
		return a
	}}))
}

var (
	Logged    = kk.AccessLog(newLogger(&accessLog))
	ReqID     = kk.RequestID()
	Quick     = kk.Timeout(30 * time.Millisecond)
	RouteCORS = kk.CORS(kk.CORSConfig{
		AllowOrigins:     []string{"https://app.test"},
		AllowCredentials: true,
		ExposeHeaders:    []string{"X-Total"},
	})
)

//kk:route GET /items
//kk:use Logged ReqID
func List(c *kk.Ctx) string { return "id=" + kk.RequestIDOf(c) }

type Item struct {
	Name string `json:"name"`
}

//kk:route POST /items 201
//kk:use Logged
func Create(in Item) (Item, error) {
	if in.Name == "" {
		return Item{}, kk.Error(409, "empty name")
	}
	return in, nil
}

// Slow honours its context.
//
//kk:route GET /slow/:ms
//kk:use Quick
func Slow(ctx context.Context, ms int) (string, error) {
	select {
	case <-time.After(time.Duration(ms) * time.Millisecond):
		return "slow done", nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Stubborn ignores its context: the timeout is cooperative, so it runs to
// the end, and what it wrote is discarded for the 503.
//
//kk:route GET /stubborn/:ms
//kk:use Logged Quick
func Stubborn(c *kk.Ctx, ms int) string {
	time.Sleep(time.Duration(ms) * time.Millisecond)
	c.Response.Header.Set("X-Stubborn", "finished")
	return "stubborn done"
}

//kk:route GET /cors
//kk:use RouteCORS
func CORSRoute() string { return "cors" }

//kk:route PUT /cors
//kk:use RouteCORS
func CORSPut() string { return "put" }
