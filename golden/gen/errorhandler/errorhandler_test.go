package errorhandler

import (
	"io"
	"log/slog"
	"testing"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

type want struct {
	method, target string
	status         int
	ctype, body    string
}

func check(t *testing.T, r *kk.Router, cases []want) {
	t.Helper()
	for _, tc := range cases {
		resp := kktest.Do(r, tc.method, tc.target)
		if resp.StatusCode() != tc.status || string(resp.Header.ContentType()) != tc.ctype || string(resp.Body()) != tc.body {
			t.Errorf("%s %s = %d %q %q; want %d %q %q", tc.method, tc.target, resp.StatusCode(), resp.Header.ContentType(), resp.Body(), tc.status, tc.ctype, tc.body)
		}
	}
}

func quiet(r *kk.Router) *kk.Router {
	r.SetLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	return r
}

const (
	html = "text/html; charset=utf-8"
	text = "text/plain; charset=utf-8"
	prob = "application/problem+json"
)

func TestErrorHandlers(t *testing.T) {
	check(t, quiet(NewRouter()), []want{
		{"GET", "/users/ann", 200, text, "user ann"},
		{"GET", "/users/ghost", 404, html, "<h1>not here</h1><p>no such user</p>"},
		// The 404 handler serves unmatched paths too.
		{"GET", "/nowhere", 404, html, "<h1>not here</h1><p>no route for GET /nowhere</p>"},
		{"GET", "/users/boom", 500, text, "sorry"},
		// A panicking error handler falls back to the default body.
		{"GET", "/users/taken", 409, prob, `{"type":"about:blank","title":"Conflict","status":409,"detail":"name taken"}`},
		// No handler for 400 or 405: the default body.
		{"GET", "/users/bad", 400, prob, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"bad name"}`},
		{"POST", "/users/ann", 405, prob, `{"type":"about:blank","title":"Method Not Allowed","status":405,"detail":"method POST not allowed for /users/ann; allowed: GET, HEAD"}`},
	})
}

func TestOnError(t *testing.T) {
	r := quiet(NewRouter())
	// OnError replaces the //kk:errorhandler for 404 and adds one for 405.
	r.OnError(404, func(c *kk.Ctx, err error) {
		c.SetStatusCode(410)
		c.SetBodyString("replaced: " + err.Error())
	})
	r.OnError(405, func(c *kk.Ctx, err error) {
		c.SetBodyString("allow=" + string(c.Response.Header.Peek("Allow")))
	})
	check(t, r, []want{
		{"GET", "/users/ghost", 410, text, "replaced: no such user"},
		{"POST", "/users/ann", 405, text, "allow=GET, HEAD"},
		{"GET", "/users/boom", 500, text, "sorry"},
	})
	// Other routers keep the generated handlers.
	check(t, quiet(NewRouter()), []want{
		{"GET", "/users/ghost", 404, html, "<h1>not here</h1><p>no such user</p>"},
	})
}
