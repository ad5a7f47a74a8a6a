package middleware

import (
	"strings"
	"testing"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// trace adds an X-Trace header before and after the rest of the chain.
func trace(name string) kk.Middleware {
	return func(next kk.Handler) kk.Handler {
		return func(c *kk.Ctx) error {
			c.Response.Header.Add("X-Trace", name+">")
			err := next(c)
			c.Response.Header.Add("X-Trace", "<"+name)
			return err
		}
	}
}

func traces(h interface{ PeekAll(string) [][]byte }) string {
	var s []string
	for _, v := range h.PeekAll("X-Trace") {
		s = append(s, string(v))
	}
	return strings.Join(s, " ")
}

func TestUse(t *testing.T) {
	r := NewRouter()
	var seen []string
	r.Use(trace("outer"), trace("inner"))
	r.Use(func(next kk.Handler) kk.Handler {
		return func(c *kk.Ctx) error {
			route := "-"
			if rt := c.Route(); rt != nil {
				route = rt.Method + " " + rt.Pattern + " " + rt.Name
			}
			seen = append(seen, string(c.Method())+" "+string(c.Path())+" → "+route)
			if rt := c.Route(); rt != nil && rt.Name == "Admin" && len(c.Request.Header.Peek("X-Admin")) == 0 {
				return kk.Error(403, "admins only")
			}
			return next(c)
		}
	})
	for _, tc := range []struct {
		method, target string
		status         int
		trace, body    string
	}{
		{"GET", "/hello/kk", 200, "outer> inner> handler <inner <outer", "hello kk"},
		{"POST", "/items", 204, "outer> inner> <inner <outer", ""},
		{"GET", "/admin", 403, "outer> inner> <inner <outer", `{"type":"about:blank","title":"Forbidden","status":403,"detail":"admins only"}`},
		{"GET", "/missing", 404, "outer> inner> <inner <outer", `{"type":"about:blank","title":"Not Found","status":404,"detail":"no route for GET /missing"}`},
		{"DELETE", "/items", 405, "outer> inner> <inner <outer", `{"type":"about:blank","title":"Method Not Allowed","status":405,"detail":"method DELETE not allowed for /items; allowed: POST"}`},
	} {
		resp := kktest.Do(r, tc.method, tc.target)
		if resp.StatusCode() != tc.status || traces(&resp.Header) != tc.trace || string(resp.Body()) != tc.body {
			t.Errorf("%s %s = %d trace %q body %s; want %d trace %q body %s", tc.method, tc.target, resp.StatusCode(), traces(&resp.Header), resp.Body(), tc.status, tc.trace, tc.body)
		}
	}
	want := []string{
		"GET /hello/kk → GET /hello/:name Hello",
		"POST /items → POST /items CreateItem",
		"GET /admin → GET /admin Admin",
		"GET /missing → -",
		"DELETE /items → -",
	}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("middleware saw:\n%s\nwant:\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}
	req := kktest.NewRequest("GET", "/admin", nil)
	req.Header.Set("X-Admin", "1")
	if resp := kktest.Serve(r, req); resp.StatusCode() != 200 || string(resp.Body()) != "admin area" {
		t.Errorf("GET /admin as admin = %d %s; want 200 admin area", resp.StatusCode(), resp.Body())
	}
}

func TestUseAfterHandlerPanics(t *testing.T) {
	r := NewRouter()
	r.Handler()
	defer func() {
		if recover() == nil {
			t.Error("Use after Handler did not panic")
		}
	}()
	r.Use(trace("late"))
}
