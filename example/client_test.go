package main

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	apiclient "github.com/kommandkit/kk/example/client"
	"github.com/kommandkit/kk/runtime/kktest"
)

// startClients serves a service of the test's own through the real
// server code and returns its Go client (kkgen -client client) with the
// API token, and one without.
func startClients(t *testing.T) (c, anon *apiclient.Client) {
	t.Helper()
	s := kktest.NewServer(t, testRouter(t))
	hc := s.Client()
	return apiclient.New(s.URL, apiclient.WithHTTPClient(hc), apiclient.WithBearerToken(testToken)),
		apiclient.New(s.URL, apiclient.WithHTTPClient(hc))
}

// wantStatus checks that err is an error answer with status and a detail
// containing detail.
func wantStatus(t *testing.T, err error, status int, detail string) *apiclient.Error {
	t.Helper()
	var e *apiclient.Error
	if !errors.As(err, &e) || e.Status != status || !strings.Contains(e.Detail, detail) {
		t.Fatalf("got %v, want a %d whose detail has %q", err, status, detail)
	}
	return e
}

// TestGoClientUsers drives the users' routes through the generated Go
// client: JSON bodies and results, the 201, and the 401, 404, 409 and 422
// answers as *client.Error.
func TestGoClientUsers(t *testing.T) {
	t.Parallel()
	c, anon := startClients(t)
	ctx := context.Background()
	ada, err := c.Users.Create(ctx, apiclient.NewUser{Name: "ada", Email: "ada@example.com"})
	if err != nil || ada.ID == 0 || ada.Name != "ada" || ada.Created.IsZero() {
		t.Fatalf("Create = %+v, %v", ada, err)
	}
	if got, err := c.Users.Get(ctx, ada.ID); err != nil || !reflect.DeepEqual(got, ada) {
		t.Errorf("Get = %+v, %v; want %+v", got, err, ada)
	}
	if got, err := c.Users.ByName(ctx, "ada"); err != nil || got.ID != ada.ID {
		t.Errorf("ByName = %+v, %v", got, err)
	}
	limit := 1
	page, err := c.Users.List(ctx, &limit, 0, "a")
	if err != nil || len(page.Users) != 1 || page.Users[0].Name != "ada" {
		t.Errorf("List = %+v, %v", page, err)
	}

	_, err = c.Users.Create(ctx, apiclient.NewUser{Name: "ada", Email: "ada@example.com"})
	wantStatus(t, err, 409, `user "ada" already exists`)
	_, err = c.Users.Create(ctx, apiclient.NewUser{Name: "X", Email: "nope"})
	e := wantStatus(t, err, 422, "")
	if len(e.Errors) != 2 || e.Errors[0].Field != "name" || e.Errors[1].Field != "email" {
		t.Errorf("field errors %+v", e.Errors)
	}
	_, err = anon.Users.Create(ctx, apiclient.NewUser{Name: "bob", Email: "bob@example.com"})
	if e := wantStatus(t, err, 401, ""); !strings.HasPrefix(e.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("401 without a challenge: %v", e.Header)
	}
	_, err = c.Users.Get(ctx, 999)
	wantStatus(t, err, 404, "not found") // the service's own 404 body: its detail is read too
	zero := 0
	_, err = c.Users.List(ctx, &zero, 0, "")
	wantStatus(t, err, 422, "limit")
	if err := c.Users.Delete(ctx, ada.ID); err != nil {
		t.Fatal(err)
	}
}

// TestGoClientTodos drives the todos' routes: path, query and input
// struct parameters, a PATCH body, bytes, and the event stream that
// reports the changes.
func TestGoClientTodos(t *testing.T) {
	t.Parallel()
	c, _ := startClients(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	u, err := c.Users.Create(ctx, apiclient.NewUser{Name: "lin", Email: "lin@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	events := c.Todos.Events(ctx, &u.ID)
	pull, stop := iter.Pull2(events)
	defer stop()
	next := func() (apiclient.Event, error) {
		ev, err, ok := pull()
		if !ok {
			t.Fatal("the event stream ended")
		}
		return ev, err
	}
	if ev, err := next(); err != nil || ev.Event != "hello" {
		t.Fatalf("first event %+v, %v; want hello", ev, err)
	}

	milk, err := c.Todos.Add(ctx, u.ID, apiclient.NewTodo{Title: "Buy milk", Tags: apiclient.Tags{"home", "food"}})
	if err != nil || milk.Title != "Buy milk" || milk.Priority != 3 {
		t.Fatalf("Add = %+v, %v", milk, err)
	}
	ev, err := next()
	var change struct {
		Kind string
		Todo apiclient.Todo
	}
	if err != nil || ev.JSON(&change) != nil || change.Todo.Title != "Buy milk" || ev.ID == "" {
		t.Fatalf("the change event %+v (%+v), %v", ev, change, err)
	}
	if _, err := c.Todos.Add(ctx, u.ID, apiclient.NewTodo{Title: "Fix roof", Priority: 5, Tags: apiclient.Tags{"home"}}); err != nil {
		t.Fatal(err)
	}
	title := "Buy oat milk"
	if got, err := c.Todos.Update(ctx, u.ID, milk.ID, apiclient.TodoPatch{Title: &title}); err != nil || got.Title != title {
		t.Errorf("Update = %+v, %v", got, err)
	}
	if err := c.Todos.SetDone(ctx, u.ID, milk.ID, true); err != nil {
		t.Fatal(err)
	}
	done, limit := true, 10
	list, err := c.Todos.List(ctx, u.ID, &done, []string{"home"}, &limit, 0)
	if err != nil || len(list) != 1 || list[0].ID != milk.ID {
		t.Errorf("List(done, home) = %+v, %v", list, err)
	}
	found, err := c.Todos.Search(ctx, apiclient.TodoSearch{User: u.ID, Q: "roof"})
	if err != nil || len(found) != 1 || found[0].Title != "Fix roof" {
		t.Errorf("Search = %+v, %v", found, err)
	}
	_, err = c.Todos.Search(ctx, apiclient.TodoSearch{User: u.ID})
	wantStatus(t, err, 422, "")
	if got, err := c.Todos.SetPriority(ctx, u.ID, milk.ID, 1); err != nil || got.Priority != 1 {
		t.Errorf("SetPriority = %+v, %v", got, err)
	}
	_, err = c.Todos.SetPriority(ctx, u.ID, milk.ID, 9)
	wantStatus(t, err, 422, "priority")
	if err := c.Todos.RemoveTag(ctx, u.ID, milk.ID, []byte("food")); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Todos.Get(ctx, u.ID, milk.ID); err != nil || !reflect.DeepEqual(got.Tags, []string{"home"}) {
		t.Errorf("after RemoveTag: %+v, %v", got, err)
	}
	if top, err := c.Todos.Top(ctx, u.ID, 1); err != nil || len(top) != 1 {
		t.Errorf("Top = %+v, %v", top, err)
	}
	if b, err := c.Todos.Export(ctx, u.ID); err != nil || !strings.Contains(string(b), "Fix roof") {
		t.Errorf("Export = %q, %v", b, err)
	}
	if err := c.Todos.Delete(ctx, u.ID, milk.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.Todos.Get(ctx, u.ID, milk.ID)
	wantStatus(t, err, 404, "not found")
}

// TestGoClientChat joins a chat room through the client's WebSocket.
func TestGoClientChat(t *testing.T) {
	t.Parallel()
	c, _ := startClients(t)
	ws, err := c.Chat.Join(context.Background(), "lobby", apiclient.ChatUser{Name: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close(1000, "")
	var msg struct{ Room, From, Text string }
	if err := ws.ReadJSON(&msg); err != nil || msg.Text != "ann joined" || msg.Room != "lobby" {
		t.Fatalf("first message %+v, %v", msg, err)
	}
	if err := ws.WriteText("hello"); err != nil {
		t.Fatal(err)
	}
	if err := ws.ReadJSON(&msg); err != nil || msg.From != "ann" || msg.Text != "hello" {
		t.Errorf("echo %+v, %v", msg, err)
	}
	_, err = c.Chat.Join(context.Background(), "no room!", apiclient.ChatUser{Name: "ann"})
	wantStatus(t, err, http.StatusBadRequest, "room")
}

// TestGoClientDependencies: the example's client imports only the
// standard library: no fasthttp, no kk.
func TestGoClientDependencies(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "./client").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps ./client: %v\n%s", err, out)
	}
	for _, d := range strings.Fields(string(out)) {
		if first, _, _ := strings.Cut(d, "/"); strings.Contains(first, ".") && d != "github.com/kommandkit/kk/example/client" {
			t.Errorf("the client depends on %s, outside the standard library", d)
		}
	}
}
