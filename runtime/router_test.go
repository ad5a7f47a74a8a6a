package kk_test

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// table is a hand-written stand-in for generated code: GET /hello,
// GET /items/:id, POST /items/:id, GET /boom, GET /fail.
func table(handlers map[string]kk.Handler) kk.Table {
	routes := []kk.Route{
		{Method: "GET", Pattern: "/hello", Name: "Hello"},
		{Method: "GET", Pattern: "/items/:id", Name: "GetItem", Params: []string{"id"}},
		{Method: "POST", Pattern: "/items/:id", Name: "PostItem", Params: []string{"id"}},
		{Method: "GET", Pattern: "/fail", Name: "Fail"},
	}
	for i := range routes {
		routes[i].Handler = handlers[routes[i].Name]
		if routes[i].Handler == nil {
			routes[i].Handler = func(c *kk.Ctx) error { return kk.NoContent(c) }
		}
	}
	return kk.Table{
		Routes:  routes,
		Methods: []string{"GET", "POST"},
		Match: func(method string, p []byte, ps *kk.Params) int {
			s := string(p)
			item, isItem := strings.CutPrefix(s, "/items/")
			isItem = isItem && item != "" && !strings.Contains(item, "/")
			switch {
			case method == "GET" && s == "/hello":
				return 0
			case method == "GET" && s == "/fail":
				return 3
			case isItem && (method == "GET" || method == "POST"):
				ps[0] = p[len("/items/"):]
				if method == "GET" {
					return 1
				}
				return 2
			}
			return -1
		},
	}
}

func TestRouterMisses(t *testing.T) {
	r := kk.New(table(nil))
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/hello", 204, ""},
		{"HEAD", "/hello", 204, ""},
		{"GET", "/nope", 404, ""},
		{"DELETE", "/items/1", 405, "GET, HEAD, POST"},
		{"POST", "/hello", 405, "GET, HEAD"},
		{"HEAD", "/items/1", 204, ""},
		{"GET", "/items/", 404, ""},
	} {
		resp := kktest.Do(r, tc.method, tc.path)
		if got := resp.StatusCode(); got != tc.status {
			t.Errorf("%s %s: status %d, want %d (body %s)", tc.method, tc.path, got, tc.status, resp.Body())
		}
		if got := string(resp.Header.Peek("Allow")); got != tc.allow {
			t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, got, tc.allow)
		}
		if tc.status == 404 && !strings.Contains(string(resp.Body()), `"detail":"no route for`) {
			t.Errorf("%s %s: 404 body %s does not say why", tc.method, tc.path, resp.Body())
		}
	}
}

type teapot struct{}

func (teapot) Error() string   { return "short and stout" }
func (teapot) StatusCode() int { return 418 }

func TestErrorMapping(t *testing.T) {
	var fail error
	tab := table(map[string]kk.Handler{"Fail": func(c *kk.Ctx) error { return fail }})
	sentinel := errors.New("gone away")
	tab.StatusOf = func(err error) int {
		if errors.Is(err, sentinel) {
			return 410
		}
		return 0
	}
	r := kk.New(tab)
	var logs strings.Builder
	r.SetLogger(slog.New(slog.NewTextHandler(&logs, nil)))
	for _, tc := range []struct {
		err    error
		status int
		detail string // "" means no detail at all
	}{
		{sentinel, 410, "gone away"},
		{fmt.Errorf("wrapped: %w", sentinel), 410, "wrapped: gone away"},
		{teapot{}, 418, "short and stout"},
		{fmt.Errorf("wrapped: %w", teapot{}), 418, "wrapped: short and stout"},
		{kk.Error(403, "no entry"), 403, "no entry"},
		{kk.Errorf(422, "bad %s: %w", "thing", sentinel), 410, "bad thing: gone away"},
		{kk.Error(503, "db password is hunter2"), 503, ""},
		{errors.New("secret internals"), 500, ""},
		{kk.Error(200, "not an error status"), 500, ""},
	} {
		fail = tc.err
		resp := kktest.Do(r, "GET", "/fail")
		if resp.StatusCode() != tc.status {
			t.Errorf("%v: status %d, want %d", tc.err, resp.StatusCode(), tc.status)
		}
		if ct := string(resp.Header.ContentType()); ct != "application/problem+json" {
			t.Errorf("%v: content type %q", tc.err, ct)
		}
		body := string(resp.Body())
		wantDetail := ""
		if tc.detail != "" {
			wantDetail = fmt.Sprintf(`,"detail":%q`, tc.detail)
		}
		want := fmt.Sprintf(`{"type":"about:blank","title":%q,"status":%d%s}`, fasthttp.StatusMessage(tc.status), tc.status, wantDetail)
		if body != want {
			t.Errorf("%v: body\n%s\nwant\n%s", tc.err, body, want)
		}
	}
	for _, secret := range []string{"hunter2", "secret internals"} {
		if !strings.Contains(logs.String(), secret) {
			t.Errorf("5xx error %q was not logged; log:\n%s", secret, logs.String())
		}
	}
}

func TestPanicIsA500AndServingGoesOn(t *testing.T) {
	r := kk.New(table(map[string]kk.Handler{
		"Fail": func(c *kk.Ctx) error {
			c.SetBodyString("partial")
			panic("boom")
		},
	}))
	var logs strings.Builder
	r.SetLogger(slog.New(slog.NewTextHandler(&logs, nil)))
	resp := kktest.Do(r, "GET", "/fail")
	if !strings.Contains(logs.String(), "panic=boom") {
		t.Errorf("panic not logged: %s", logs.String())
	}
	if resp.StatusCode() != 500 || strings.Contains(string(resp.Body()), "partial") || strings.Contains(string(resp.Body()), "boom") {
		t.Fatalf("panic: %d %s", resp.StatusCode(), resp.Body())
	}
	if resp := kktest.Do(r, "GET", "/hello"); resp.StatusCode() != 204 {
		t.Fatalf("after panic: %d", resp.StatusCode())
	}
}

func TestErrorHandlers(t *testing.T) {
	tab := table(nil)
	tab.ErrorHandlers = map[int]kk.ErrorHandler{404: func(c *kk.Ctx, err error) {
		c.SetBodyString("generated 404: " + err.Error())
	}}
	r := kk.New(tab)
	r.SetLogger(slog.New(slog.DiscardHandler))
	if resp := kktest.Do(r, "GET", "/x"); string(resp.Body()) != "generated 404: no route for GET /x" || resp.StatusCode() != 404 {
		t.Errorf("errorhandler: %d %s", resp.StatusCode(), resp.Body())
	}
	// OnError is refused once the router serves: a second router.
	r = kk.New(tab)
	r.SetLogger(slog.New(slog.DiscardHandler))
	r.OnError(404, func(c *kk.Ctx, err error) { c.SetBodyString("runtime 404") })
	r.OnError(405, func(c *kk.Ctx, err error) { panic("bad handler") })
	if resp := kktest.Do(r, "GET", "/x"); string(resp.Body()) != "runtime 404" {
		t.Errorf("OnError replaces: %s", resp.Body())
	}
	resp := kktest.Do(r, "PUT", "/hello")
	if resp.StatusCode() != 405 || !strings.Contains(string(resp.Body()), `"status":405`) {
		t.Errorf("panicking error handler falls back to the problem body: %d %s", resp.StatusCode(), resp.Body())
	}
}

func TestMiddlewareOrderAndRoute(t *testing.T) {
	r := kk.New(table(map[string]kk.Handler{
		"GetItem": func(c *kk.Ctx) error { return kk.Text(c, "item "+c.Param("id")) },
	}))
	var trace []string
	mw := func(name string) kk.Middleware {
		return func(next kk.Handler) kk.Handler {
			return func(c *kk.Ctx) error {
				route := "<none>"
				if rt := c.Route(); rt != nil {
					route = rt.Method + " " + rt.Pattern + " " + rt.Name
				}
				trace = append(trace, name+" "+route)
				return next(c)
			}
		}
	}
	r.Use(mw("outer"), mw("inner"))
	resp := kktest.Do(r, "GET", "/items/7")
	if string(resp.Body()) != "item 7" {
		t.Errorf("body %s", resp.Body())
	}
	kktest.Do(r, "GET", "/missing")
	want := []string{"outer GET /items/:id GetItem", "inner GET /items/:id GetItem", "outer <none>", "inner <none>"}
	if fmt.Sprint(trace) != fmt.Sprint(want) {
		t.Errorf("trace %q, want %q", trace, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("Use after Handler did not panic")
		}
	}()
	r.Use(mw("late"))
}

// TestOnErrorAfterHandler: serving goroutines read the error handlers
// without a lock, so registering one once serving may have begun is
// refused, as Use is.
func TestOnErrorAfterHandler(t *testing.T) {
	r := kk.New(table(map[string]kk.Handler{"Hello": func(c *kk.Ctx) error { return nil }}))
	r.OnError(404, func(c *kk.Ctx, err error) {}) // before Handler: fine
	r.Handler()
	defer func() {
		if recover() == nil {
			t.Error("OnError after Handler did not panic")
		}
	}()
	r.OnError(404, func(c *kk.Ctx, err error) {})
}

func TestCtxIsAContext(t *testing.T) {
	r := kk.New(table(map[string]kk.Handler{
		"Hello": func(c *kk.Ctx) error {
			c.SetUserValue("k", "v")
			var ctx interface{ Value(any) any } = c
			return kk.Text(c, fmt.Sprintf("%v %v", ctx.Value("k"), c.Err()))
		},
	}))
	if resp := kktest.Do(r, "GET", "/hello"); string(resp.Body()) != "v <nil>" {
		t.Errorf("body %s", resp.Body())
	}
}

func TestAllowListsHEADOnceWhenGETServesIt(t *testing.T) {
	ok := func(c *kk.Ctx) error { return nil }
	r := kk.New(kk.Table{
		Routes: []kk.Route{
			{Method: "GET", Pattern: "/a", Handler: ok},
			{Method: "HEAD", Pattern: "/b", Handler: ok},
			{Method: "POST", Pattern: "/a", Handler: ok},
			{Method: "HEAD", Pattern: "/a", Handler: ok},
		},
		Methods: []string{"GET", "HEAD", "POST"},
		Match: func(method string, p []byte, ps *kk.Params) int {
			switch method + " " + string(p) {
			case "GET /a":
				return 0
			case "HEAD /b":
				return 1
			case "POST /a":
				return 2
			}
			return -1
		},
	})
	for path, want := range map[string]string{"/a": "GET, HEAD, POST", "/b": "HEAD"} {
		resp := kktest.Do(r, "PUT", path)
		if got := string(resp.Header.Peek("Allow")); resp.StatusCode() != 405 || got != want {
			t.Errorf("PUT %s: %d, Allow %q; want 405, %q", path, resp.StatusCode(), got, want)
		}
	}
}

// TestMountedRouterOnTheSameRequest serves a second router from inside a
// handler of the first, on the same RequestCtx: each must keep its own
// route and parameters.
func TestMountedRouterOnTheSameRequest(t *testing.T) {
	inner := kk.New(table(map[string]kk.Handler{
		"GetItem": func(c *kk.Ctx) error { return kk.Text(c, "inner "+c.Param("id")) },
	}))
	ih := inner.Handler()
	outer := kk.New(table(map[string]kk.Handler{
		"GetItem": func(c *kk.Ctx) error {
			before := c.Param("id")
			ih(c.RequestCtx)
			if c.Param("id") != before || c.Route().Name != "GetItem" {
				return kk.Errorf(500, "outer Ctx changed: %q %s", c.Param("id"), c.Route().Name)
			}
			c.Response.AppendBodyString(" via outer " + before)
			return nil
		},
	}))
	for i := 0; i < 3; i++ {
		if resp := kktest.Do(outer, "GET", "/items/9"); string(resp.Body()) != "inner 9 via outer 9" {
			t.Fatalf("mounted: %d %s", resp.StatusCode(), resp.Body())
		}
	}
}

// TestConcurrentRequestsKeepTheirOwnCtx serves many requests at once on
// separate RequestCtx values, reused across rounds as fasthttp reuses them
// per connection, and checks each sees its own parameters.
func TestConcurrentRequestsKeepTheirOwnCtx(t *testing.T) {
	r := kk.New(table(map[string]kk.Handler{
		"GetItem": func(c *kk.Ctx) error { return kk.Text(c, c.Param("id")) },
	}))
	h := r.Handler()
	const workers = 64
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func(w int) {
			var rc fasthttp.RequestCtx
			for round := 0; round < 200; round++ {
				id := fmt.Sprintf("%d-%d", w, round)
				rc.Request.Reset()
				rc.Request.Header.SetMethod("GET")
				rc.Request.SetRequestURI("/items/" + id)
				rc.Response.Reset()
				h(&rc)
				if got := string(rc.Response.Body()); got != id {
					errs <- fmt.Errorf("worker %d round %d: got %q", w, round, got)
					return
				}
			}
			errs <- nil
		}(w)
	}
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
