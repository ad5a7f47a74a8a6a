// Package receivers serves routes, error handlers, middleware and
// consumers that are methods: each type's dependencies are its fields, and
// the generated NewRouter and RegisterConsumers take the values.
//
//kk:group /
package receivers

import (
	"context"
	"errors"
	"strconv"
	"sync"

	kk "github.com/kommandkit/kk/runtime"
)

// ErrNotFound is a missing todo.
//
//kk:error 404
var ErrNotFound = errors.New("no such todo")

// Todo is one item.
type Todo struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// NewTodo is the body of POST /todos.
type NewTodo struct {
	Title string `json:"title"`
}

// Store is what Todos depends on; tests give each router its own.
type Store interface {
	Get(id int64) (Todo, bool)
	Add(title string) Todo
}

// Todos serves the todo routes from its Store, with pointer receivers.
type Todos struct {
	Store   Store
	Greeted []string // names its consumer was told about
	mu      sync.Mutex
}

//kk:route GET /todos/:id
func (t *Todos) Get(ctx context.Context, id int64) (Todo, error) {
	todo, ok := t.Store.Get(id)
	if !ok {
		return Todo{}, ErrNotFound
	}
	return todo, nil
}

//kk:route POST /todos 201
//kk:use APIKeys.Require
func (t *Todos) Add(c *kk.Ctx, in NewTodo) Todo { return t.Store.Add(in.Title) }

// NotFound answers every 404 of the router, naming the store's kind.
//
//kk:errorhandler 404
func (t *Todos) NotFound(c *kk.Ctx, err error) {
	c.SetStatusCode(404)
	c.SetBodyString("not found: " + err.Error())
}

//kk:route GET /todos/:id/events
func (t *Todos) Events(ctx context.Context, id int64, es *kk.EventStream) error {
	todo, ok := t.Store.Get(id)
	if !ok {
		return ErrNotFound
	}
	return es.Send(kk.Event{Data: todo.Title})
}

//kk:route GET /todos/:id/ws
func (t *Todos) Watch(ctx context.Context, id int64, ws *kk.WebSocket) error {
	todo, _ := t.Store.Get(id)
	return ws.WriteText(todo.Title)
}

// Greet is a consumer method: it records each name.
//
//kk:consumer greetings
func (t *Todos) Greet(ctx context.Context, name string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.Greeted = append(t.Greeted, name)
	return nil
}

// Clock has value receivers only, so NewRouter takes a Clock, not a *Clock.
type Clock struct{ Now string }

//kk:route GET /time
func (c Clock) Time() string { return c.Now }

// Ask answers a request with the time, without a context.
//
//kk:consumer clock.now
func (c Clock) Ask(_ struct{}) (string, error) { return c.Now, nil }

// APIKeys holds the keys its middleware accepts. It has no routes: NewRouter
// takes it because //kk:use names its method.
type APIKeys struct{ Keys map[string]bool }

// Require refuses a request without one of the keys.
func (k *APIKeys) Require(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		if !k.Keys[string(c.Request.Header.Peek("X-Key"))] {
			return kk.Error(401, "want a valid X-Key")
		}
		return next(c)
	}
}

// Version is a plain func beside the methods.
//
//kk:route GET /version
func Version() string { return strconv.Itoa(1) }
