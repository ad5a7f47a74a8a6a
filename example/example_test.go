package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestUsers(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	name := uniqueHandle("ada")

	resp, body := c.want("POST", "/users/"+name, 201, "application/json")
	if !strings.Contains(body, `"name":"`+name+`"`) {
		t.Errorf("created user body %s lacks the name", body)
	}
	u := wantJSON[User](c, "GET", "/users/by-name/"+name, 200)
	if u.Name != Handle(name) || u.ID == 0 || u.Created.IsZero() {
		t.Fatalf("user by name: %+v", u)
	}
	if loc, want := resp.Header.Get("Location"), fmt.Sprintf("/users/%d", u.ID); loc != want {
		t.Errorf("Location %q, want %q", loc, want)
	}
	if got := wantJSON[User](c, "GET", fmt.Sprintf("/users/%d", u.ID), 200); got != u {
		t.Errorf("GET /users/%d = %+v, want %+v", u.ID, got, u)
	}
	if all := wantJSON[[]User](c, "GET", "/users", 200); !slices.Contains(all, u) {
		t.Errorf("GET /users = %+v, want it to hold %+v", all, u)
	}

	// The typed error, //kk:error 409, with its message as the detail.
	c.wantProblem("POST", "/users/"+name, 409, fmt.Sprintf("user %q already exists", name))

	// DELETE returns only an error: 204, no body, no content type.
	_, body = c.want("DELETE", fmt.Sprintf("/users/%d", u.ID), 204, "")
	if body != "" {
		t.Errorf("204 with body %q", body)
	}
	if !strings.Contains(logs.String(), "user deleted") {
		t.Error("DeleteUser's slog.InfoContext line is not in the log")
	}
	// ErrNotFound wrapped with %w, answered by the custom 404 handler.
	_, body = c.want("GET", fmt.Sprintf("/users/%d", u.ID), 404, "application/json")
	want := fmt.Sprintf(`{"error":"not_found","detail":"user %d: not found","path":"/users/%d"}`, u.ID, u.ID)
	if body != want {
		t.Errorf("404 body\n got %s\nwant %s", body, want)
	}
	c.want("DELETE", fmt.Sprintf("/users/%d", u.ID), 404, "application/json")
	c.want("GET", "/users/by-name/"+name, 404, "application/json")
}

func TestTodos(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	u := wantJSON[User](c, "POST", "/users/"+uniqueHandle("grace"), 201)
	base := fmt.Sprintf("/users/%d/todos", u.ID)

	if todos := wantJSON[[]Todo](c, "GET", base, 200); todos == nil || len(todos) != 0 {
		t.Fatalf("new user's todos = %#v, want []", todos)
	}
	// The title is a path parameter, decoded: %20 is a space, %C3%A9 "é".
	resp, _ := c.want("POST", base+"/Write%20the%20caf%C3%A9%20menu", 201, "application/json")
	if loc := resp.Header.Get("Location"); loc != base+"/1" {
		t.Errorf("Location %q, want %q", loc, base+"/1")
	}
	if got := wantJSON[Todo](c, "GET", base+"/1", 200); got != (Todo{ID: 1, Title: "Write the café menu", Priority: 3}) {
		t.Errorf("todo 1 = %+v", got)
	}
	wantJSON[Todo](c, "POST", base+"/Fix%20the%20roof", 201)
	wantJSON[Todo](c, "POST", base+"/Buy%20milk", 201)
	c.wantProblem("POST", base+"/Buy%20milk", 409, `todo "Buy milk" already exists`)
	c.wantProblem("POST", base+"/"+strings.Repeat("x", maxTitle+1), 422, "title is longer than 100 characters")

	// bool parameter, error-only result: 204.
	c.want("PUT", base+"/3/done/true", 204, "")
	if got := wantJSON[Todo](c, "GET", base+"/3", 200); !got.Done {
		t.Errorf("todo 3 not done after PUT done/true: %+v", got)
	}
	// int8 parameter; kk.Error(422, ...) from the handler; the decoder's
	// own range check for int8.
	if got := wantJSON[Todo](c, "PUT", base+"/2/priority/5", 200); got.Priority != 5 {
		t.Errorf("priority = %d, want 5", got.Priority)
	}
	c.wantProblem("PUT", base+"/2/priority/-1", 422, "priority must be from 1 to 5")
	c.wantProblem("PUT", base+"/2/priority/300", 400, `path parameter "priority": "300" is out of range for int8`)
	// float32 parameter.
	if got := wantJSON[Todo](c, "PUT", base+"/1/estimate/1.5", 200); got.Estimate != 1.5 {
		t.Errorf("estimate = %v, want 1.5", got.Estimate)
	}
	c.wantProblem("PUT", base+"/1/estimate/NaN", 422, "hours must be a finite number")
	c.wantProblem("PUT", base+"/1/estimate/1e39", 400, `path parameter "hours": "1e39" is out of range for float32`)

	// Static "top" and "search" win over :todo; int and []byte parameters.
	top := wantJSON[[]Todo](c, "GET", base+"/top/5", 200)
	if ids := todoIDs(top); !slices.Equal(ids, []uint32{2, 1}) {
		t.Errorf("top/5 = %v, want [2 1] (open todos, by priority)", ids)
	}
	if ids := todoIDs(wantJSON[[]Todo](c, "GET", base+"/top/1", 200)); !slices.Equal(ids, []uint32{2}) {
		t.Errorf("top/1 = %v, want [2]", ids)
	}
	c.wantProblem("GET", base+"/top/0", 400, "n must be at least 1")
	if ids := todoIDs(wantJSON[[]Todo](c, "GET", base+"/search/CAF%C3%A9", 200)); !slices.Equal(ids, []uint32{1}) {
		t.Errorf("search/CAFé = %v, want [1]", ids)
	}
	if ids := todoIDs(wantJSON[[]Todo](c, "GET", base+"/search/the", 200)); !slices.Equal(ids, []uint32{1, 2}) {
		t.Errorf("search/the = %v, want [1 2]", ids)
	}
	// Without its :n, /top is a :todo that is not a uint32.
	c.wantProblem("GET", base+"/top", 400, `path parameter "todo": "top" is not a valid uint32`)

	// []byte result: application/octet-stream.
	resp, body := c.want("GET", fmt.Sprintf("/users/%d/export", u.ID), 200, "application/octet-stream")
	wantCSV := "id,title,done,priority,estimate_hours\n1,Write the café menu,false,3,1.5\n2,Fix the roof,false,5,0\n3,Buy milk,true,3,0\n"
	if body != wantCSV {
		t.Errorf("export\n got %q\nwant %q", body, wantCSV)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("Content-Disposition %q", cd)
	}

	c.want("DELETE", base+"/3", 204, "")
	c.want("GET", base+"/3", 404, "application/json")
	c.want("DELETE", base+"/3", 404, "application/json")
	if ids := todoIDs(wantJSON[[]Todo](c, "GET", base, 200)); !slices.Equal(ids, []uint32{1, 2}) {
		t.Errorf("after delete: %v, want [1 2]", ids)
	}
	c.want("GET", "/users/999999999/todos", 404, "application/json")
}

func todoIDs(todos []Todo) []uint32 {
	ids := make([]uint32, len(todos))
	for i, t := range todos {
		ids[i] = t.ID
	}
	return ids
}

func TestResultForms(t *testing.T) {
	t.Parallel()
	c := startServer(t)

	// string: text/plain, here the route list.
	_, body := c.want("GET", "/", 200, "text/plain; charset=utf-8")
	for _, line := range []string{"GET    /users/:id/todos/top/:n", "PUT    /users/:id/todos/:todo/done/:done", "GET    /static/*file"} {
		if !strings.Contains(body, line) {
			t.Errorf("GET / lacks %q:\n%s", line, body)
		}
	}
	// No result: 204 with no body.
	if _, body := c.want("GET", "/healthz", 204, ""); body != "" {
		t.Errorf("/healthz body %q", body)
	}
	// A struct value: JSON.
	st := wantJSON[Stats](c, "GET", "/stats", 200)
	if st.Requests["GET /healthz"] == 0 || st.Requests["GET /stats"] == 0 {
		t.Errorf("stats requests %v lack GET /healthz and GET /stats", st.Requests)
	}
}

func TestStatic(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	html, err := embedded.ReadFile("static/index.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/static/", "/static/index.html"} {
		if _, body := c.want("GET", path, 200, "text/html; charset=utf-8"); body != string(html) {
			t.Errorf("GET %s = %q, want index.html", path, body)
		}
	}
	// Static returns only an error but writes a body: 200, not 204.
	_, body := c.want("GET", "/static/style.css", 200, "text/css; charset=utf-8")
	if !strings.HasPrefix(body, "body {") {
		t.Errorf("style.css = %q", body)
	}
	_, body = c.want("GET", "/static/css/missing.css", 404, "application/json")
	if !strings.Contains(body, `static file \"css/missing.css\": not found`) {
		t.Errorf("missing file body %s", body)
	}
	// Nothing outside the embedded directory is reachable.
	for _, path := range []string{"/static/../main.go", "/static/..%2fmain.go", "/static/%2e%2e/main.go", "/static//etc/passwd"} {
		resp, body := c.do("GET", path)
		if resp.StatusCode != 404 || strings.Contains(body, "package main") || strings.Contains(body, "root:") {
			t.Errorf("GET %s: %d %q", path, resp.StatusCode, body)
		}
	}
	// No route for /static itself: the catch-all needs its slash.
	c.want("GET", "/static", 404, "application/json")
}

func TestHEAD(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	css, _ := embedded.ReadFile("static/style.css")
	for _, tc := range []struct {
		path, ctype string
		status      int
		length      int64 // -1: don't check
	}{
		{"/static/style.css", "text/css; charset=utf-8", 200, int64(len(css))},
		{"/stats", "application/json", 200, -1},
		{"/", "text/plain; charset=utf-8", 200, -1},
		{"/healthz", "", 204, -1},
	} {
		resp, body := c.want("HEAD", tc.path, tc.status, tc.ctype)
		if body != "" {
			t.Errorf("HEAD %s sent a body: %q", tc.path, body)
		}
		if tc.length >= 0 && resp.ContentLength != tc.length {
			t.Errorf("HEAD %s: Content-Length %d, want %d (the GET body's)", tc.path, resp.ContentLength, tc.length)
		}
		if got, want := resp.Header.Get("X-Route"), "GET "+routeOf(tc.path); got != want {
			t.Errorf("HEAD %s: X-Route %q, want %q (served by the GET route)", tc.path, got, want)
		}
	}
}

func routeOf(path string) string {
	if strings.HasPrefix(path, "/static/") {
		return "/static/*file"
	}
	return path
}

func TestMiddleware(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	for path, want := range map[string]string{
		"/users/12345678":         "GET /users/:id",
		"/users/by-name/nobody":   "GET /users/by-name/:name",
		"/users/1/todos/search/x": "GET /users/:id/todos/search/:q",
		"/no/such/page":           unmatched,
	} {
		resp, _ := c.do("GET", path)
		if got := resp.Header.Get("X-Route"); got != want {
			t.Errorf("GET %s: X-Route %q, want %q", path, got, want)
		}
	}
	before := wantJSON[Stats](c, "GET", "/stats", 200).Requests["GET /users/:id"]
	c.do("GET", "/users/1")
	c.do("GET", "/users/2")
	if after := wantJSON[Stats](c, "GET", "/stats", 200).Requests["GET /users/:id"]; after < before+2 {
		t.Errorf("GET /users/:id counted %d then %d, want at least 2 more", before, after)
	}
	if got := wantJSON[Stats](c, "GET", "/stats", 200).Requests[unmatched]; got == 0 {
		t.Error("unmatched requests are not counted")
	}
}
