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
	create := jsonBody(fmt.Sprintf(`{"name":%q,"email":"ada@example.com"}`, name))

	// JSON body in, 201 from the annotation, Location from the handler.
	resp, body := c.want("POST", "/api/v1/users", 201, "application/json", auth, create)
	u := decode[User](c, "POST", "/api/v1/users", body)
	if u.Name != Handle(name) || u.Email != "ada@example.com" || u.ID == 0 || u.Created.IsZero() {
		t.Fatalf("created user: %+v", u)
	}
	loc := resp.Header.Get("Location")
	if want := fmt.Sprintf("/api/v1/users/%d", u.ID); loc != want {
		t.Errorf("Location %q, want %q", loc, want)
	}
	if got := wantJSON[User](c, "GET", loc, 200); got != u {
		t.Errorf("GET %s = %+v, want %+v", loc, got, u)
	}
	// A Handle path parameter (TextUnmarshaler); "by-name" beats :id.
	if got := wantJSON[User](c, "GET", "/api/v1/users/by-name/"+name, 200); got != u {
		t.Errorf("user by name = %+v, want %+v", got, u)
	}

	// The typed error, //kk:error 409, with its message as the detail.
	c.wantProblem("POST", "/api/v1/users", 409, fmt.Sprintf("user %q already exists", name), auth, create)

	// DELETE returns only an error: 204, no body, no content type.
	c.wantProblem("DELETE", loc, 401, "Authorization: Bearer")
	_, body = c.want("DELETE", loc, 204, "", auth)
	if body != "" {
		t.Errorf("204 with body %q", body)
	}
	if !strings.Contains(logs.String(), fmt.Sprintf("msg=\"user deleted\" id=%d", u.ID)) {
		t.Error("DeleteUser's slog.InfoContext line is not in the log")
	}
	// ErrNotFound wrapped with %w, answered by the custom 404 handler.
	_, body = c.want("GET", loc, 404, "application/json")
	want := fmt.Sprintf(`{"error":"not_found","detail":"user %d: not found","path":"%s"}`, u.ID, loc)
	if body != want {
		t.Errorf("404 body\n got %s\nwant %s", body, want)
	}
	c.want("DELETE", loc, 404, "application/json", auth)
	c.want("GET", "/api/v1/users/by-name/"+name, 404, "application/json")
}

func TestCreateUserBadInput(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	const path = "/api/v1/users"

	// Auth.Require runs before the body is decoded: no token, a wrong one,
	// or another scheme is a 401 whatever the body holds, and the answer
	// says which (RFC 6750's error="invalid_token" for a wrong token).
	const (
		missing     = "this route needs an Authorization: Bearer token"
		wrong       = "the bearer token is wrong"
		notBearer   = "the Authorization header must be a Bearer token"
		challenge   = `Bearer realm="kk-example"`
		invalidAuth = `Bearer realm="kk-example", error="invalid_token"`
	)
	for _, tc := range []struct {
		opts              []opt
		detail, challenge string
	}{
		{[]opt{jsonBody(`{"name":"ok-name","email":"a@b.c"}`)}, missing, challenge},
		{[]opt{rawBody("text/plain", "hello")}, missing, challenge},
		{[]opt{header("Authorization", "Bearer nope"), jsonBody(`{"name":"ok-name","email":"a@b.c"}`)}, wrong, invalidAuth},
		{[]opt{header("Authorization", "Bearer"), jsonBody(`{`)}, wrong, invalidAuth},
		{[]opt{header("Authorization", "bearer "+testToken+"x"), jsonBody(`{`)}, wrong, invalidAuth},
		{[]opt{header("Authorization", "Basic "+testToken), jsonBody(`{`)}, notBearer, challenge},
	} {
		resp, body := c.want("POST", path, 401, "application/problem+json", tc.opts...)
		if got := resp.Header.Get("WWW-Authenticate"); got != tc.challenge {
			t.Errorf("401 WWW-Authenticate %q, want %q", got, tc.challenge)
		}
		if p := decode[problem](c, "POST", path, body); p.Detail != tc.detail {
			t.Errorf("401 detail %q, want %q", p.Detail, tc.detail)
		}
	}

	// 415: the body must be JSON, and the detail says so.
	good := `{"name":"not-created","email":"a@example.com"}`
	c.wantProblem("POST", path, 415, `unsupported Content-Type "text/plain"; this route accepts application/json`, auth, rawBody("text/plain", good))
	c.wantProblem("POST", path, 415, `unsupported Content-Type "none"; this route accepts application/json`, auth, rawBody("", good))
	c.wantProblem("POST", path, 415, `unsupported Content-Type "application/x-www-form-urlencoded"`, auth,
		rawBody("application/x-www-form-urlencoded", "name=not-created&email=a@example.com"))

	// 400: JSON that does not parse, or does not fit, says where.
	c.wantProblem("POST", path, 400, "malformed JSON body at offset 13: invalid character '}'", auth, jsonBody(`{"name":"x",}`))
	c.wantProblem("POST", path, 400, "JSON body field name at offset 9: cannot use number as string", auth, jsonBody(`{"name":5}`))
	c.wantProblem("POST", path, 400, "malformed JSON body", auth, jsonBody(`{"name":"x"`))
	c.wantProblem("POST", path, 400, "request body is empty; want a JSON document", auth, jsonBody(""))

	// 422: NewUser.Validate lists every bad field.
	nameMsg := "must be lower-case letters, digits, '-' and '_', starting with a letter"
	emailMsg := "must be an address such as ada@example.com"
	c.wantFields("POST", path, []fieldError{{"name", "body", nameMsg}, {"email", "body", emailMsg}},
		auth, jsonBody(`{"name":"Ada","email":"ada"}`))
	c.wantFields("POST", path, []fieldError{{"email", "body", emailMsg}}, auth, jsonBody(`{"name":"ada-no-email"}`))
	c.wantFields("POST", path, []fieldError{{"name", "body", "must be 2 to 32 characters long"}, {"email", "body", emailMsg}},
		auth, jsonBody(`{}`))
	p := c.wantProblem("POST", path, 422, "name: must be 2 to 32 characters long; email: "+emailMsg, auth, jsonBody(`{}`))
	if p.Title != "Unprocessable Entity" {
		t.Errorf("422 title %q", p.Title)
	}

	// None of that created anything; a +json type with parameters is JSON.
	c.want("GET", "/api/v1/users/by-name/not-created", 404, "application/json")
	// The scheme is case-insensitive.
	c.want("POST", path, 201, "application/json", header("Authorization", "bearer "+testToken),
		jsonBody(fmt.Sprintf(`{"name":%q,"email":"x@example.com"}`, uniqueHandle("scheme"))))
	c.want("POST", path, 201, "application/json", auth,
		rawBody("application/json; charset=utf-8", fmt.Sprintf(`{"name":%q,"email":"x@example.com"}`, uniqueHandle("charset"))))
}

func TestListUsers(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	prefix := uniqueHandle("page")
	var made []User
	for _, s := range []string{"a", "b", "c"} {
		made = append(made, wantJSON[User](c, "POST", "/api/v1/users", 201, auth,
			jsonBody(fmt.Sprintf(`{"name":"%s-%s","email":"%s@example.com"}`, prefix, s, s))))
	}

	// ?limit= and ?prefix=, then the cursor in "next".
	page := wantJSON[UserPage](c, "GET", "/api/v1/users?limit=2&prefix="+prefix, 200)
	if !slices.Equal(page.Users, made[:2]) {
		t.Errorf("first page %+v, want %+v", page.Users, made[:2])
	}
	if want := fmt.Sprintf("/api/v1/users?after=%d&limit=2&prefix=%s", made[1].ID, prefix); page.Next != want {
		t.Fatalf("next %q, want %q", page.Next, want)
	}
	page = wantJSON[UserPage](c, "GET", page.Next, 200)
	if !slices.Equal(page.Users, made[2:]) || page.Next != "" {
		t.Errorf("second page %+v, want %+v and no next", page, made[2:])
	}
	// No limit: the default, 20. An empty value counts as absent.
	for _, q := range []string{"", "&limit="} {
		if page := wantJSON[UserPage](c, "GET", "/api/v1/users?prefix="+prefix+q, 200); !slices.Equal(page.Users, made) || page.Next != "" {
			t.Errorf("?prefix=%s%s: %+v, want all three", prefix, q, page)
		}
	}
	if page := wantJSON[UserPage](c, "GET", fmt.Sprintf("/api/v1/users?prefix=%s&after=%d", prefix, made[2].ID), 200); page.Users == nil || len(page.Users) != 0 {
		t.Errorf("past the end: %#v, want users: []", page.Users)
	}

	// A query value that does not decode is a 400 naming the key.
	c.wantProblem("GET", "/api/v1/users?limit=ten", 400, `query parameter "limit": "ten" is not a valid int`)
	c.wantProblem("GET", "/api/v1/users?after=x", 400, `query parameter "after": "x" is not a valid int64`)
	c.wantProblem("GET", "/api/v1/users?limit=99999999999999999999", 400, `query parameter "limit": "99999999999999999999" is out of range for int`)
	// One that decodes but is out of bounds is the handler's 422.
	for _, l := range []string{"0", "101", "-1"} {
		c.wantFields("GET", "/api/v1/users?limit="+l, []fieldError{{"limit", "query", "must be from 1 to 100"}})
	}
}

func TestTodos(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	u := newUser(c, "grace")
	base := fmt.Sprintf("/api/v1/users/%d/todos", u.ID)

	if todos := wantJSON[[]Todo](c, "GET", base, 200); todos == nil || len(todos) != 0 {
		t.Fatalf("new user's todos = %#v, want []", todos)
	}
	// Create from JSON: 201, Location, defaults (priority 3).
	resp, body := c.want("POST", base, 201, "application/json", auth, jsonBody(`{"title":"Write the café menu","tags":["food"]}`))
	if loc := resp.Header.Get("Location"); loc != base+"/1" {
		t.Errorf("Location %q, want %q", loc, base+"/1")
	}
	want := Todo{ID: 1, Title: "Write the café menu", Priority: 3, Tags: []string{"food"}}
	if got := decode[Todo](c, "POST", base, body); !equalTodo(got, want) {
		t.Errorf("created %+v, want %+v", got, want)
	}
	if got := wantJSON[Todo](c, "GET", base+"/1", 200); !equalTodo(got, want) {
		t.Errorf("todo 1 = %+v, want %+v", got, want)
	}
	wantJSON[Todo](c, "POST", base, 201, auth, jsonBody(`{"title":"Fix the roof","priority":5,"estimate_hours":6,"tags":["home","urgent"]}`))
	wantJSON[Todo](c, "POST", base, 201, auth, jsonBody(`{"title":"Buy milk","tags":["home","food"]}`))
	c.wantProblem("POST", base, 409, `todo "Buy milk" already exists`, auth, jsonBody(`{"title":"Buy milk"}`))
	c.wantProblem("POST", base, 401, "Bearer", jsonBody(`{"title":"No token"}`))
	c.want("POST", "/api/v1/users/999999999/todos", 404, "application/json", auth, jsonBody(`{"title":"Nobody's"}`))

	// NewTodo.Validate lists every bad field; a number that does not fit
	// its Go type is a 400 from the JSON decoder, before Validate.
	c.wantFields("POST", base, []fieldError{
		{"title", "body", "is required"},
		{"priority", "body", "must be from 1 (low) to 5 (urgent)"},
		{"tags[0]", "body", "must be 1 to 32 lower-case letters, digits or '-'"},
		{"tags[2]", "body", `repeats "home"`},
	}, auth, jsonBody(`{"title":"  ","priority":9,"tags":["Home","home","home"]}`))
	c.wantFields("POST", base, []fieldError{{"title", "body", "must be at most 100 characters"}, {"estimate_hours", "body", "must be at least 0"}},
		auth, jsonBody(fmt.Sprintf(`{"title":%q,"estimate_hours":-1}`, strings.Repeat("x", maxTitle+1))))
	c.wantProblem("POST", base, 400, "JSON body field priority at offset 27: cannot use number 300 as int8", auth, jsonBody(`{"title":"x","priority":300}`))

	// PATCH changes only the fields present.
	got := wantJSON[Todo](c, "PATCH", base+"/1", 200, auth, jsonBody(`{"title":"Write the new café menu","estimate_hours":1.5}`))
	want = Todo{ID: 1, Title: "Write the new café menu", Priority: 3, Estimate: 1.5, Tags: []string{"food"}}
	if !equalTodo(got, want) {
		t.Errorf("patched %+v, want %+v", got, want)
	}
	c.wantProblem("PATCH", base+"/1", 409, `todo "Buy milk" already exists`, auth, jsonBody(`{"title":"Buy milk"}`))
	c.wantFields("PATCH", base+"/1", []fieldError{{"priority", "body", "must be from 1 (low) to 5 (urgent)"}, {"tags[0]", "body", "must be 1 to 32 lower-case letters, digits or '-'"}},
		auth, jsonBody(`{"priority":0,"tags":[""]}`))
	c.wantProblem("PATCH", base+"/1", 400, "JSON body field done", auth, jsonBody(`{"done":"yes"}`))
	c.wantProblem("PATCH", base+"/1", 415, "this route accepts application/json", auth, rawBody("text/plain", `{}`))
	c.want("PATCH", base+"/9", 404, "application/json", auth, jsonBody(`{}`))
	if got := wantJSON[Todo](c, "GET", base+"/1", 200); !equalTodo(got, want) {
		t.Errorf("after failed patches %+v, want %+v", got, want)
	}

	// Path-parameter shortcuts: bool, int8 and float32, each decoded and
	// range-checked; error-only results answer 204.
	c.want("PUT", base+"/3/done/true", 204, "", auth)
	if got := wantJSON[Todo](c, "GET", base+"/3", 200); !got.Done {
		t.Errorf("todo 3 not done after PUT done/true: %+v", got)
	}
	if got := wantJSON[Todo](c, "PUT", base+"/2/priority/4", 200, auth); got.Priority != 4 {
		t.Errorf("priority = %d, want 4", got.Priority)
	}
	c.wantProblem("PUT", base+"/2/priority/-1", 422, "priority must be from 1 to 5", auth)
	c.wantProblem("PUT", base+"/2/priority/300", 400, `path parameter "priority": "300" is out of range for int8`, auth)
	if got := wantJSON[Todo](c, "PUT", base+"/2/estimate/2.5", 200, auth); got.Estimate != 2.5 {
		t.Errorf("estimate = %v, want 2.5", got.Estimate)
	}
	c.wantProblem("PUT", base+"/1/estimate/NaN", 422, "hours must be a finite number", auth)
	c.wantProblem("PUT", base+"/1/estimate/1e39", 400, `path parameter "hours": "1e39" is out of range for float32`, auth)
	c.wantProblem("PUT", base+"/1/done/true", 401, "Bearer")

	// Static "top" wins over :todo; an int parameter.
	if ids := todoIDs(wantJSON[[]Todo](c, "GET", base+"/top/5", 200)); !slices.Equal(ids, []uint32{2, 1}) {
		t.Errorf("top/5 = %v, want [2 1] (open todos, by priority)", ids)
	}
	if ids := todoIDs(wantJSON[[]Todo](c, "GET", base+"/top/1", 200)); !slices.Equal(ids, []uint32{2}) {
		t.Errorf("top/1 = %v, want [2]", ids)
	}
	c.wantProblem("GET", base+"/top/0", 400, "n must be at least 1")
	// Without its :n, /top is a :todo that is not a uint32.
	c.wantProblem("GET", base+"/top", 400, `path parameter "todo": "top" is not a valid uint32`)

	// []byte result: application/octet-stream.
	resp, body = c.want("GET", fmt.Sprintf("/api/v1/users/%d/export", u.ID), 200, "application/octet-stream")
	wantCSV := "id,title,done,priority,estimate_hours,tags\n" +
		"1,Write the new café menu,false,3,1.5,food\n2,Fix the roof,false,4,2.5,home urgent\n3,Buy milk,true,3,0,home food\n"
	if body != wantCSV {
		t.Errorf("export\n got %q\nwant %q", body, wantCSV)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != fmt.Sprintf(`attachment; filename="user-%d-todos.csv"`, u.ID) {
		t.Errorf("Content-Disposition %q", cd)
	}

	c.want("DELETE", base+"/3", 204, "", auth)
	c.want("GET", base+"/3", 404, "application/json")
	c.want("DELETE", base+"/3", 404, "application/json", auth)
	if ids := todoIDs(wantJSON[[]Todo](c, "GET", base, 200)); !slices.Equal(ids, []uint32{1, 2}) {
		t.Errorf("after delete: %v, want [1 2]", ids)
	}
	c.want("GET", "/api/v1/users/999999999/todos", 404, "application/json")
}

func TestTags(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	u := newUser(c, "tagger")
	todo := fmt.Sprintf("/api/v1/users/%d/todos/1", u.ID)
	wantJSON[Todo](c, "POST", fmt.Sprintf("/api/v1/users/%d/todos", u.ID), 201, auth, jsonBody(`{"title":"Plant tomatoes"}`))

	// A slice type is a JSON body too, and Tags.Validate runs on it.
	if got := wantJSON[Todo](c, "PUT", todo+"/tags", 200, auth, jsonBody(`["garden","home"]`)); !slices.Equal(got.Tags, []string{"garden", "home"}) {
		t.Errorf("tags = %q", got.Tags)
	}
	c.wantFields("PUT", todo+"/tags", []fieldError{{"tags[1]", "body", "must be 1 to 32 lower-case letters, digits or '-'"}},
		auth, jsonBody(`["ok","not ok"]`))
	c.wantProblem("PUT", todo+"/tags", 400, "JSON body at offset 1: cannot use object as main.Tags", auth, jsonBody(`{"tags":[]}`))

	// DELETE .../tags/:tag: a []byte path parameter, decoded (%20 is a space).
	c.want("DELETE", todo+"/tags/garden", 204, "", auth)
	c.wantProblem("DELETE", todo+"/tags/garden", 401, "Bearer")
	_, body := c.want("DELETE", todo+"/tags/no%20such", 404, "application/json", auth)
	if !strings.Contains(body, `tag \"no such\" of todo 1: not found`) {
		t.Errorf("missing tag body %s", body)
	}
	if got := wantJSON[Todo](c, "GET", todo, 200); !slices.Equal(got.Tags, []string{"home"}) {
		t.Errorf("tags after delete = %q, want [home]", got.Tags)
	}
	// The last tag gone, tags are left out of the JSON.
	c.want("DELETE", todo+"/tags/home", 204, "", auth)
	if _, body := c.want("GET", todo, 200, "application/json"); strings.Contains(body, "tags") {
		t.Errorf("untagged todo %s", body)
	}
}

// equalTodo compares todos, whose tags make them incomparable with ==.
func equalTodo(a, b Todo) bool {
	return a.ID == b.ID && a.Title == b.Title && a.Done == b.Done && a.Priority == b.Priority &&
		a.Estimate == b.Estimate && slices.Equal(a.Tags, b.Tags)
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
	for _, line := range []string{
		"GET    /api/v1/users/:id/todos/top/:n",
		"PUT    /api/v1/users/:id/todos/:todo/done/:done",
		"GET    /api/v1/users/:id/todos/search",
		"GET    /static/*path",
		"GET    /healthz",
	} {
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
	html, err := staticFiles.ReadFile("static/index.html")
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
	if !strings.Contains(body, `no file for /static/css/missing.css`) {
		t.Errorf("missing file body %s", body)
	}
	// Nothing outside the embedded directory is reachable: 404, or 400 for
	// an encoded slash or dot segment (traversal_test.go has the table).
	for _, path := range []string{"/static/../main.go", "/static/..%2fmain.go", "/static/%2e%2e/main.go", "/static//etc/passwd"} {
		resp, body := c.do("GET", path)
		if (resp.StatusCode != 404 && resp.StatusCode != 400) || strings.Contains(body, "package main") || strings.Contains(body, "root:") {
			t.Errorf("GET %s: %d %q", path, resp.StatusCode, body)
		}
	}
	// No route for /static itself: the catch-all needs its slash.
	c.want("GET", "/static", 404, "application/json")
}

func TestHEAD(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	css, _ := staticFiles.ReadFile("static/style.css")
	for _, tc := range []struct {
		path, route, ctype string
		status             int
		length             int64 // -1: don't check
	}{
		{"/static/style.css", "/static/*path", "text/css; charset=utf-8", 200, int64(len(css))},
		{"/stats", "/stats", "application/json", 200, -1},
		{"/", "/", "text/plain; charset=utf-8", 200, -1},
		{"/healthz", "/healthz", "", 204, -1},
		{"/api/v1/users", "/api/v1/users", "application/json", 200, -1},
	} {
		resp, body := c.want("HEAD", tc.path, tc.status, tc.ctype)
		if body != "" {
			t.Errorf("HEAD %s sent a body: %q", tc.path, body)
		}
		if tc.length >= 0 && resp.ContentLength != tc.length {
			t.Errorf("HEAD %s: Content-Length %d, want %d (the GET body's)", tc.path, resp.ContentLength, tc.length)
		}
		if got, want := resp.Header.Get("X-Route"), "GET "+tc.route; got != want {
			t.Errorf("HEAD %s: X-Route %q, want %q (served by the GET route)", tc.path, got, want)
		}
	}
}

func TestMiddleware(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	for path, want := range map[string]string{
		"/api/v1/users/12345678":           "GET /api/v1/users/:id",
		"/api/v1/users/by-name/nobody":     "GET /api/v1/users/by-name/:name",
		"/api/v1/users/1/todos/search?q=x": "GET /api/v1/users/:id/todos/search",
		"/no/such/page":                    unmatched,
	} {
		resp, _ := c.do("GET", path)
		if got := resp.Header.Get("X-Route"); got != want {
			t.Errorf("GET %s: X-Route %q, want %q", path, got, want)
		}
	}
	before := wantJSON[Stats](c, "GET", "/stats", 200).Requests["GET /api/v1/users/:id"]
	c.do("GET", "/api/v1/users/1")
	c.do("GET", "/api/v1/users/2")
	if after := wantJSON[Stats](c, "GET", "/stats", 200).Requests["GET /api/v1/users/:id"]; after < before+2 {
		t.Errorf("GET /api/v1/users/:id counted %d then %d, want at least 2 more", before, after)
	}
	if got := wantJSON[Stats](c, "GET", "/stats", 200).Requests[unmatched]; got == 0 {
		t.Error("unmatched requests are not counted")
	}
}
