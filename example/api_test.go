package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestListTodosQuery(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	u := newUser(c, "lister")
	base := fmt.Sprintf("/api/v1/users/%d/todos", u.ID)
	for _, body := range []string{
		`{"title":"Buy milk","tags":["home","food"]}`,
		`{"title":"Fix the roof","tags":["home"]}`,
		`{"title":"File taxes","tags":["admin"]}`,
		`{"title":"Cook dinner","tags":["home","food"]}`,
	} {
		wantJSON[Todo](c, "POST", base, 201, auth, jsonBody(body))
	}
	c.want("PUT", base+"/2/done/true", 204, "", auth)

	for _, tc := range []struct {
		query string
		ids   []uint32
		total string
	}{
		{"", []uint32{1, 2, 3, 4}, "4"},
		{"?done=false", []uint32{1, 3, 4}, "3"},
		{"?done=true", []uint32{2}, "1"},
		{"?done=", []uint32{1, 2, 3, 4}, "4"}, // empty is absent: either
		{"?tag=home", []uint32{1, 2, 4}, "3"},
		{"?tag=home&tag=food", []uint32{1, 4}, "2"}, // repeated keys: every one
		{"?tag=food&done=false&tag=home", []uint32{1, 4}, "2"},
		{"?tag=nothing", []uint32{}, "0"},
		{"?limit=2", []uint32{1, 2}, "4"},
		{"?limit=2&offset=2", []uint32{3, 4}, "4"},
		{"?offset=3", []uint32{4}, "4"},
		{"?offset=10", []uint32{}, "4"},
		{"?tag=home&limit=1&offset=1", []uint32{2}, "3"},
	} {
		resp, body := c.want("GET", base+tc.query, 200, "application/json")
		if ids := todoIDs(decode[[]Todo](c, "GET", base+tc.query, body)); !slices.Equal(ids, tc.ids) {
			t.Errorf("GET %s: ids %v, want %v", tc.query, ids, tc.ids)
		}
		if got := resp.Header.Get("X-Total-Count"); got != tc.total {
			t.Errorf("GET %s: X-Total-Count %q, want %q", tc.query, got, tc.total)
		}
	}

	// Values that do not decode: 400 naming the key.
	c.wantProblem("GET", base+"?done=maybe", 400, `query parameter "done": "maybe" is not a valid bool`)
	c.wantProblem("GET", base+"?limit=1.5", 400, `query parameter "limit": "1.5" is not a valid int`)
	c.wantProblem("GET", base+"?offset=x", 400, `query parameter "offset": "x" is not a valid int`)
	// Values that decode but make no sense: the handler's 422, listing both.
	c.wantFields("GET", base+"?limit=0&offset=-1", []fieldError{
		{"limit", "query", "must be from 1 to 100"}, {"offset", "query", "must be at least 0"},
	})
	// A *int tells limit=0 from no limit: absent is the default, 50.
	if ids := todoIDs(wantJSON[[]Todo](c, "GET", base+"?offset=0", 200)); len(ids) != 4 {
		t.Errorf("no limit: %v", ids)
	}
}

func TestSearchTodos(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	u := newUser(c, "searcher")
	base := fmt.Sprintf("/api/v1/users/%d/todos", u.ID)
	for _, body := range []string{
		`{"title":"Write the CAFÉ menu","priority":2,"tags":["work"]}`,
		`{"title":"Visit the café","priority":5,"tags":["fun"]}`,
		`{"title":"Fix the roof","priority":4,"tags":["home","work"]}`,
	} {
		wantJSON[Todo](c, "POST", base, 201, auth, jsonBody(body))
	}
	search := base + "/search"

	// ?q= is required (query:"q,required"): without it, 422 naming it. An
	// empty value counts as absent.
	for _, q := range []string{"", "?q=", "?limit=5"} {
		c.wantFields("GET", search+q, []fieldError{{"q", "query", "required"}})
	}
	// Best first, ignoring case; "search" is a static segment, not :todo.
	resp, body := c.want("GET", search+"?q=caf%C3%A9", 200, "application/json")
	if ids := todoIDs(decode[[]Todo](c, "GET", search, body)); !slices.Equal(ids, []uint32{2, 1}) {
		t.Errorf("q=café: %v, want [2 1]", ids)
	}
	for q, want := range map[string][]uint32{
		"?q=the":                 {2, 3, 1},
		"?q=the&limit=2":         {2, 3}, // limit defaults to 20
		"?q=the&tag=work":        {3, 1},
		"?q=the&tag=work&tag=ho": {},
		"?q=nothing":             {},
	} {
		if ids := todoIDs(wantJSON[[]Todo](c, "GET", search+q, 200)); !slices.Equal(ids, want) {
			t.Errorf("search%s: %v, want %v", q, ids, want)
		}
	}
	c.wantProblem("GET", search+"?q=x&limit=many", 400, `query parameter "limit": "many" is not a valid int`)
	c.wantFields("GET", search+"?q=x&limit=0", []fieldError{{"limit", "query", "must be from 1 to 100"}})
	c.wantProblem("GET", "/api/v1/users/x/todos/search?q=x", 400, `path parameter "id": "x" is not a valid int64`)
	c.want("GET", "/api/v1/users/999999999/todos/search?q=x", 404, "application/json")

	// The If-None-Match header field: the ETag sent back answers 304,
	// bodiless, until the list changes.
	etag := resp.Header.Get("ETag")
	if !regexp.MustCompile(`^W/"\d+\.\d+"$`).MatchString(etag) {
		t.Fatalf("ETag %q", etag)
	}
	for _, inm := range []string{etag, `W/"0.0", ` + etag, "*"} {
		resp, body = c.want("GET", search+"?q=the", 304, "", header("If-None-Match", inm))
		if body != "" || resp.Header.Get("ETag") != etag {
			t.Errorf("If-None-Match %s: 304 with body %q, ETag %q", inm, body, resp.Header.Get("ETag"))
		}
	}
	c.want("GET", search+"?q=the", 200, "application/json", header("If-None-Match", `W/"0.0"`))
	c.want("PUT", base+"/1/done/true", 204, "", auth)
	resp, _ = c.want("GET", search+"?q=the", 200, "application/json", header("If-None-Match", etag))
	if got := resp.Header.Get("ETag"); got == etag || got == "" {
		t.Errorf("ETag after a change: %q, was %q", got, etag)
	}
}

// TestWritesNeedToken sends every route of the table that is not a GET,
// without a token: each must be turned away by Auth.Require with a 401,
// before its parameters or body are looked at. Every GET must not be.
func TestWritesNeedToken(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	params := regexp.MustCompile(`[:*]\w+`)
	writes := 0
	for _, r := range testRouter(t).Routes() {
		if r.Name == "Todos.Events" {
			continue // an event stream never ends; feed_test.go covers it
		}
		path := params.ReplaceAllString(r.Pattern, "1")
		resp, body := c.do(r.Method, path, jsonBody(`{`))
		if r.Method == "GET" {
			if resp.StatusCode == 401 {
				t.Errorf("GET %s (%s) needs a token: %s", path, r.Name, body)
			}
			continue
		}
		writes++
		if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s %s (%s) without a token: %d %s", r.Method, path, r.Name, resp.StatusCode, body)
		}
	}
	if writes < 10 {
		t.Errorf("only %d write routes; the table changed?", writes)
	}
}

func TestGroup(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	u := newUser(c, "grouped")

	// The group's prefix is on every route of users.go and todos.go...
	for _, r := range testRouter(t).Routes() {
		inGroup := strings.HasPrefix(r.Pattern, "/api/v1/")
		switch r.Name {
		case "Users.List", "Users.Create", "Users.Get", "Todos.List", "Todos.Search", "Todos.Add", "Todos.Update", "Todos.SetDone":
			if !inGroup {
				t.Errorf("%s %s (%s) is outside /api/v1", r.Method, r.Pattern, r.Name)
			}
		case "Healthz", "staticFiles", "Site.Index", "Monitor.Stats", "Moved", "Sleep":
			if inGroup {
				t.Errorf("%s %s (%s) is inside /api/v1", r.Method, r.Pattern, r.Name)
			}
		}
	}
	// ...and so is its middleware, which runs before the routes' own: a
	// 401 from Auth.Require carries revalidate's header.
	for _, tc := range []struct {
		method, path string
		status       int
		opts         []opt
	}{
		{"GET", fmt.Sprintf("/api/v1/users/%d", u.ID), 200, nil},
		{"GET", "/api/v1/users/999999999", 404, nil},
		{"POST", "/api/v1/users", 401, []opt{jsonBody(`{}`)}},
		{"PUT", fmt.Sprintf("/api/v1/users/%d/todos/1/done/true", u.ID), 404, []opt{auth}},
	} {
		resp, _ := c.do(tc.method, tc.path, tc.opts...)
		if resp.StatusCode != tc.status || resp.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s %s: %d, Cache-Control %q; want %d, no-cache", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Cache-Control"), tc.status)
		}
	}
	for _, path := range []string{"/healthz", "/stats", "/static/style.css", "/no/such/page"} {
		if resp, _ := c.do("GET", path); resp.Header.Get("Cache-Control") != "" {
			t.Errorf("GET %s, outside the group: Cache-Control %q", path, resp.Header.Get("Cache-Control"))
		}
	}

	// The paths from before the group redirect, escapes and query kept.
	for path, want := range map[string]string{
		"/users":                       "/api/v1/users",
		"/users?limit=2":               "/api/v1/users?limit=2",
		fmt.Sprintf("/users/%d", u.ID): fmt.Sprintf("/api/v1/users/%d", u.ID),
		"/users/by-name/caf%C3%A9":     "/api/v1/users/by-name/caf%C3%A9",
		"/users/1/todos?tag=a&tag=b":   "/api/v1/users/1/todos?tag=a&tag=b",
	} {
		resp, _ := c.want("GET", path, 301, "")
		if got := resp.Header.Get("Location"); got != want { // a path: the client keeps its scheme and host
			t.Errorf("GET %s: Location %q, want %q", path, got, want)
		}
	}
	// Only GETs: a write to an old path is a 405.
	c.want("POST", "/users", 405, "application/problem+json", auth, jsonBody(`{}`))
}

var hexID = regexp.MustCompile(`^[0-9a-f]{16}$`)

func TestRequestID(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	seen := map[string]bool{}
	// Every answer carries one: routed, 204, 401, 404, 405 and an error's
	// 500 alike.
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/healthz", 204},
		{"GET", "/api/v1/users", 200},
		{"POST", "/api/v1/users", 401},
		{"GET", "/no/such/page", 404},
		{"DELETE", "/healthz", 405},
		{"GET", "/debug/fail", 500},
	} {
		resp, _ := c.do(tc.method, tc.path)
		id := resp.Header.Get("X-Request-ID")
		if resp.StatusCode != tc.status || !hexID.MatchString(id) || seen[id] {
			t.Errorf("%s %s: %d, X-Request-ID %q; want %d and a fresh 16-hex-digit ID", tc.method, tc.path, resp.StatusCode, id, tc.status)
		}
		seen[id] = true
	}
	// A client's own ID is kept; an unreasonable one is replaced.
	resp, _ := c.do("GET", "/healthz", header("X-Request-ID", "trace-42"))
	if got := resp.Header.Get("X-Request-ID"); got != "trace-42" {
		t.Errorf("client ID came back as %q", got)
	}
	resp, _ = c.do("GET", "/healthz", header("X-Request-ID", strings.Repeat("x", 200)))
	if got := resp.Header.Get("X-Request-ID"); !hexID.MatchString(got) {
		t.Errorf("200-byte client ID came back as %q, want a new one", got)
	}
}

func TestAccessLog(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	name := uniqueHandle("logged")
	c.want("GET", "/api/v1/users/by-name/"+name, 404, "application/json")
	c.want("POST", "/api/v1/users", 201, "application/json", auth, jsonBody(fmt.Sprintf(`{"name":%q,"email":"l@example.com"}`, name)))
	c.want("GET", "/no/such/"+name, 404, "application/json")
	for _, want := range []string{
		"msg=request method=GET path=/api/v1/users/by-name/" + name + " route=/api/v1/users/by-name/:name handler=Users.ByName status=404 ",
		"msg=request method=POST path=/api/v1/users route=/api/v1/users handler=Users.Create status=201 ",
		"msg=request method=GET path=/no/such/" + name + ` route="" handler="" status=404 `,
	} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("no access log line with %q", want)
		}
	}
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	if _, body := c.want("GET", "/debug/sleep?ms=5", 200, "text/plain; charset=utf-8"); body != "slept 5ms\n" {
		t.Errorf("short sleep: %q", body)
	}
	// //kk:timeout 250ms: the handler's context is cancelled, and the
	// answer is a 503 long before the 10s sleep would end.
	start := time.Now()
	c.wantProblem("GET", "/debug/sleep?ms=10000", 503, "")
	if d := time.Since(start); d < 250*time.Millisecond || d > 5*time.Second {
		t.Errorf("timed-out request took %v, want about 250ms", d)
	}
	c.wantProblem("GET", "/debug/sleep?ms=soon", 400, `query parameter "ms": "soon" is not a valid int`)
}
