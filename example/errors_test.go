package main

import (
	"strings"
	"testing"
)

func TestNotFound(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	// No route: the //kk:errorhandler 404 body, not problem+json.
	_, body := c.want("GET", "/no/such/page", 404, "application/json")
	if want := `{"error":"not_found","detail":"no route for GET /no/such/page","path":"/no/such/page"}`; body != want {
		t.Errorf("404 body\n got %s\nwant %s", body, want)
	}
	c.want("GET", "/api/v1/users/", 404, "application/json")
	c.want("GET", "/api/v1", 404, "application/json")
	c.want("PUT", "/api/v1/users", 405, "application/problem+json")
}

func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	for _, tc := range []struct{ method, path, allow string }{
		{"PATCH", "/api/v1/users/1", "DELETE, GET, HEAD"},
		{"PUT", "/api/v1/users", "GET, HEAD, POST"},
		{"GET", "/api/v1/users/1/todos/2/tags", "PUT"},
		{"PUT", "/api/v1/users/1/todos/2", "DELETE, GET, HEAD, PATCH"},
		{"DELETE", "/static/style.css", "GET, HEAD"},
		{"POST", "/users/1", "GET, HEAD"}, // the old paths redirect GETs only
		{"POST", "/api/v1/users/1/todos/2/done/true", "PUT"},
		{"GET", "/api/v1/users/1/todos/2/done/true", "PUT"},
		{"HEAD", "/api/v1/users/1/todos/2/done/true", "PUT"},
	} {
		resp, body := c.want(tc.method, tc.path, 405, "application/problem+json")
		if got := resp.Header.Get("Allow"); got != tc.allow {
			t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, got, tc.allow)
		}
		if tc.method != "HEAD" && !strings.Contains(body, "allowed: "+tc.allow) {
			t.Errorf("%s %s: body %s does not list the allowed methods", tc.method, tc.path, body)
		}
	}
}

func TestBadParam(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	for _, tc := range []struct{ method, path, detail string }{
		{"GET", "/api/v1/users/abc", `path parameter "id": "abc" is not a valid int64`},
		{"GET", "/api/v1/users/99999999999999999999", `path parameter "id": "99999999999999999999" is out of range for int64`},
		{"GET", "/api/v1/users/by-name/Ada", `path parameter "name": "Ada" is not a valid Handle: must be lower-case letters`},
		{"GET", "/api/v1/users/by-name/a", `path parameter "name": "a" is not a valid Handle: must be 2 to 32 characters long`},
		{"PUT", "/api/v1/users/1/todos/1/done/maybe", `path parameter "done": "maybe" is not a valid bool`},
		{"GET", "/api/v1/users/1/todos/-1", `path parameter "todo": "-1" is not a valid uint32`},
		{"GET", "/api/v1/users/1/todos/4294967296", `path parameter "todo": "4294967296" is out of range for uint32`},
		{"GET", "/api/v1/users/1/todos/top/many", `path parameter "n": "many" is not a valid int`},
		{"PUT", "/api/v1/users/1/todos/1/estimate/an%20hour", `path parameter "hours": "an hour" is not a valid float32`},
		{"PUT", "/api/v1/users/1/todos/1/priority/1.5", `path parameter "priority": "1.5" is not a valid int8`},
		{"GET", "/api/v1/users?limit=ten", `query parameter "limit": "ten" is not a valid int`},
		{"GET", "/api/v1/users/1/todos?done=maybe", `query parameter "done": "maybe" is not a valid bool`},
	} {
		c.wantProblem(tc.method, tc.path, 400, tc.detail, auth)
	}
}

func TestServerError(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	_, body := c.want("GET", "/debug/fail", 500, "application/problem+json")
	if want := `{"type":"about:blank","title":"Internal Server Error","status":500}`; body != want {
		t.Errorf("500 body\n got %s\nwant %s", body, want)
	}
	// The message is logged instead.
	if !strings.Contains(logs.String(), "password authentication failed") {
		t.Error("the 500's error is not in the log")
	}
}

func TestPanic(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	for range 3 {
		_, body := c.want("GET", "/debug/panic", 500, "application/problem+json")
		if strings.Contains(body, "deliberate") {
			t.Errorf("panic value leaked: %s", body)
		}
		// Still serving, on the same keep-alive connection.
		c.want("GET", "/healthz", 204, "")
	}
	if !strings.Contains(logs.String(), "debug: deliberate panic") {
		t.Error("the panic is not in the log")
	}
}
