package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"

	kk "github.com/kommandkit/kk/runtime"
)

// maxTitle is the longest todo title, in characters.
const maxTitle = 100

// ListTodos is the todo list of the user with id.
//
//kk:route GET /users/:id/todos
func ListTodos(id UserID) ([]Todo, error) { return store.Todos(id) }

// AddTodo adds a todo called title to the list of the user with id and
// answers 201 with it.
//
//kk:route POST /users/:id/todos/:title
func AddTodo(c *kk.Ctx, id UserID, title string) (Todo, error) {
	if utf8.RuneCountInString(title) > maxTitle {
		return Todo{}, kk.Errorf(http.StatusUnprocessableEntity, "title is longer than %d characters", maxTitle)
	}
	t, err := store.AddTodo(id, title)
	if err != nil {
		return Todo{}, err
	}
	c.Response.Header.Set("Location", fmt.Sprintf("/users/%d/todos/%d", id, t.ID))
	c.SetStatusCode(http.StatusCreated)
	return t, nil
}

// GetTodo is one todo of the user with id.
//
//kk:route GET /users/:id/todos/:todo
func GetTodo(id UserID, todo uint32) (Todo, error) { return store.Todo(id, todo) }

// TopTodos is the n open todos of highest priority. The static segment
// "top" wins over GET /users/:id/todos/:todo.
//
//kk:route GET /users/:id/todos/top/:n
func TopTodos(id UserID, n int) ([]Todo, error) {
	if n < 1 {
		return nil, kk.Error(http.StatusBadRequest, "n must be at least 1")
	}
	todos, err := store.Todos(id)
	if err != nil {
		return nil, err
	}
	todos = slices.DeleteFunc(todos, func(t Todo) bool { return t.Done })
	slices.SortStableFunc(todos, func(a, b Todo) int { return int(b.Priority) - int(a.Priority) })
	return todos[:min(n, len(todos))], nil
}

// SearchTodos is the todos whose title contains q, ignoring case. q is a
// view into the request, used and dropped within the call.
//
//kk:route GET /users/:id/todos/search/:q
func SearchTodos(id UserID, q []byte) ([]Todo, error) {
	todos, err := store.Todos(id)
	if err != nil {
		return nil, err
	}
	q = bytes.ToLower(q)
	return slices.DeleteFunc(todos, func(t Todo) bool {
		return !bytes.Contains(bytes.ToLower([]byte(t.Title)), q)
	}), nil
}

// SetDone marks a todo done or not done: 204.
//
//kk:route PUT /users/:id/todos/:todo/done/:done
func SetDone(id UserID, todo uint32, done bool) error {
	_, err := store.UpdateTodo(id, todo, func(t *Todo) error { t.Done = done; return nil })
	return err
}

// SetPriority sets a todo's priority, from 1 (low) to 5 (urgent).
//
//kk:route PUT /users/:id/todos/:todo/priority/:priority
func SetPriority(id UserID, todo uint32, priority int8) (Todo, error) {
	if priority < 1 || priority > 5 {
		return Todo{}, kk.Error(http.StatusUnprocessableEntity, "priority must be from 1 to 5")
	}
	return store.UpdateTodo(id, todo, func(t *Todo) error { t.Priority = priority; return nil })
}

// SetEstimate sets how many hours a todo should take.
//
//kk:route PUT /users/:id/todos/:todo/estimate/:hours
func SetEstimate(id UserID, todo uint32, hours float32) (Todo, error) {
	if hours < 0 || math.IsNaN(float64(hours)) || math.IsInf(float64(hours), 0) {
		return Todo{}, kk.Error(http.StatusUnprocessableEntity, "hours must be a finite number, at least 0")
	}
	return store.UpdateTodo(id, todo, func(t *Todo) error { t.Estimate = hours; return nil })
}

// DeleteTodo deletes a todo: 204.
//
//kk:route DELETE /users/:id/todos/:todo
func DeleteTodo(id UserID, todo uint32) error { return store.DeleteTodo(id, todo) }

// ExportTodos is the todo list of the user with id as CSV, sent as an
// attachment (a []byte result is application/octet-stream).
//
//kk:route GET /users/:id/export
func ExportTodos(c *kk.Ctx, id UserID) ([]byte, error) {
	todos, err := store.Todos(id)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"id", "title", "done", "priority", "estimate_hours"})
	for _, t := range todos {
		w.Write([]string{
			strconv.FormatUint(uint64(t.ID), 10), t.Title, strconv.FormatBool(t.Done),
			strconv.Itoa(int(t.Priority)), strconv.FormatFloat(float64(t.Estimate), 'g', -1, 32),
		})
	}
	w.Flush()
	c.Response.Header.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="user-%d-todos.csv"`, id))
	return buf.Bytes(), w.Error()
}
