//kk:group /api/v1 use=revalidate
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kommandkit/kk/bus"
	kk "github.com/kommandkit/kk/runtime"
)

// Todos serves the todo routes from its Store, and tells every process
// sharing Bus of each change it makes (events.go).
type Todos struct {
	Store   *Store
	Bus     *bus.Bus
	Process string // names this process in the events it publishes
}

// maxTitle is the longest todo title, in characters.
const maxTitle = 100

// Tags label a todo: each 1 to 32 lower-case letters, digits or '-', none
// repeated.
type Tags []string

// Validate checks every tag. As a method of the type, it also runs when
// Tags is a whole request body (Todos.SetTags).
func (ts Tags) Validate() error { return fieldErrs(ts.check("tags")) }

func (ts Tags) check(field string) kk.FieldErrors {
	var errs kk.FieldErrors
	for i, tag := range ts {
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case !validTag(tag):
			errs = append(errs, kk.FieldError{Field: f, In: "body", Message: "must be 1 to 32 lower-case letters, digits or '-'"})
		case slices.Contains(ts[:i], tag):
			errs = append(errs, kk.FieldError{Field: f, In: "body", Message: "repeats " + strconv.Quote(tag)})
		}
	}
	return errs
}

func validTag(tag string) bool {
	if len(tag) == 0 || len(tag) > 32 {
		return false
	}
	for _, r := range tag {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// fieldErrs is errs as an error: nil when there are none.
func fieldErrs(errs kk.FieldErrors) error {
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func checkTitle(title string) *kk.FieldError {
	switch n := utf8.RuneCountInString(strings.TrimSpace(title)); {
	case n == 0:
		return &kk.FieldError{Field: "title", In: "body", Message: "is required"}
	case utf8.RuneCountInString(title) > maxTitle:
		return &kk.FieldError{Field: "title", In: "body", Message: fmt.Sprintf("must be at most %d characters", maxTitle)}
	}
	return nil
}

func checkPriority(p int8) *kk.FieldError {
	if p < 1 || p > 5 {
		return &kk.FieldError{Field: "priority", In: "body", Message: "must be from 1 (low) to 5 (urgent)"}
	}
	return nil
}

func checkEstimate(h float32) *kk.FieldError {
	if h < 0 {
		return &kk.FieldError{Field: "estimate_hours", In: "body", Message: "must be at least 0"}
	}
	return nil
}

// NewTodo is the JSON body of POST /api/v1/users/:id/todos.
type NewTodo struct {
	Title    string  `json:"title"`
	Priority int8    `json:"priority"` // 1 to 5; absent means 3
	Estimate float32 `json:"estimate_hours"`
	Tags     Tags    `json:"tags"`
}

// Validate lists every bad field of a new todo.
func (t NewTodo) Validate() error {
	var errs kk.FieldErrors
	for _, fe := range []*kk.FieldError{checkTitle(t.Title), checkEstimate(t.Estimate)} {
		if fe != nil {
			errs = append(errs, *fe)
		}
	}
	if t.Priority != 0 {
		if fe := checkPriority(t.Priority); fe != nil {
			errs = append(errs, *fe)
		}
	}
	return fieldErrs(append(errs, t.Tags.check("tags")...))
}

// TodoPatch is the JSON body of PATCH /api/v1/users/:id/todos/:todo: the
// fields present are changed, the others kept.
type TodoPatch struct {
	Title    *string  `json:"title"`
	Done     *bool    `json:"done"`
	Priority *int8    `json:"priority"`
	Estimate *float32 `json:"estimate_hours"`
	Tags     *Tags    `json:"tags"`
}

// Validate lists every bad field that the patch sets.
func (p TodoPatch) Validate() error {
	var errs kk.FieldErrors
	add := func(fe *kk.FieldError) {
		if fe != nil {
			errs = append(errs, *fe)
		}
	}
	if p.Title != nil {
		add(checkTitle(*p.Title))
	}
	if p.Priority != nil {
		add(checkPriority(*p.Priority))
	}
	if p.Estimate != nil {
		add(checkEstimate(*p.Estimate))
	}
	if p.Tags != nil {
		errs = append(errs, p.Tags.check("tags")...)
	}
	return fieldErrs(errs)
}

// List is the todo list of the user with id, filtered and paged by
// query parameters, each bound by its parameter's name: ?done=true or
// false (a *bool, so absent means either), ?tag= (repeatable: a todo must
// carry every tag given), ?limit= (default 50) and ?offset=. The
// X-Total-Count header is the number of matches before paging.
//
//kk:route GET /users/:id/todos
func (s *Todos) List(id UserID, done *bool, tag []string, limit *int, offset int) (kk.Response[[]Todo], error) {
	n := 50
	if limit != nil {
		n = *limit
	}
	var errs kk.FieldErrors
	if n < 1 || n > 100 {
		errs = append(errs, kk.FieldError{Field: "limit", In: "query", Message: "must be from 1 to 100"})
	}
	if offset < 0 {
		errs = append(errs, kk.FieldError{Field: "offset", In: "query", Message: "must be at least 0"})
	}
	if len(errs) > 0 {
		return kk.Response[[]Todo]{}, errs
	}
	todos, _, err := s.Store.Todos(id)
	if err != nil {
		return kk.Response[[]Todo]{}, err
	}
	todos = slices.DeleteFunc(todos, func(t Todo) bool {
		return done != nil && t.Done != *done || !t.hasTags(tag)
	})
	total := len(todos)
	todos = todos[min(offset, total):min(offset+n, total)]
	return kk.Response[[]Todo]{Header: map[string]string{"X-Total-Count": strconv.Itoa(total)}, Body: todos}, nil
}

// TodoSearch is an input struct: its fields are bound from the path, the
// query and a header by their tags, with a default and a required key.
// Missing ?q= is a 422 listing it.
type TodoSearch struct {
	User        UserID   `path:"id"`
	Q           string   `query:"q,required"`
	Tags        []string `query:"tag"`
	Limit       int      `query:"limit" default:"20"`
	IfNoneMatch string   `header:"If-None-Match"`
}

// Validate checks what the tags cannot say.
func (s TodoSearch) Validate() error {
	if s.Limit < 1 || s.Limit > 100 {
		return kk.FieldErrors{{Field: "limit", In: "query", Message: "must be from 1 to 100"}}
	}
	return nil
}

// Search is the todos of a user whose titles contain ?q=, ignoring
// case, and that carry every ?tag=, best first. The static segment
// "search" wins over GET /users/:id/todos/:todo. Answers carry an ETag
// that changes with the user's list; a client that sends it back in
// If-None-Match gets 304 Not Modified, without a body, until the list
// changes.
//
//kk:route GET /users/:id/todos/search
func (s *Todos) Search(in TodoSearch) (kk.Response[[]Todo], error) {
	todos, version, err := s.Store.Todos(in.User)
	if err != nil {
		return kk.Response[[]Todo]{}, err
	}
	etag := fmt.Sprintf(`W/"%d.%d"`, in.User, version)
	if etagMatch(in.IfNoneMatch, etag) {
		return kk.Response[[]Todo]{Status: http.StatusNotModified, Header: map[string]string{"ETag": etag}}, nil
	}
	q := strings.ToLower(in.Q)
	todos = slices.DeleteFunc(todos, func(t Todo) bool {
		return !strings.Contains(strings.ToLower(t.Title), q) || !t.hasTags(in.Tags)
	})
	slices.SortStableFunc(todos, func(a, b Todo) int { return int(b.Priority) - int(a.Priority) })
	return kk.Response[[]Todo]{Header: map[string]string{"ETag": etag}, Body: todos[:min(in.Limit, len(todos))]}, nil
}

// etagMatch reports whether an If-None-Match header holds etag or "*".
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == etag || t == "*" {
			return true
		}
	}
	return false
}

// Add adds a todo from a JSON body to the list of the user with id
// and answers 201 with it and its URL in Location.
//
//kk:route POST /users/:id/todos 201
//kk:use Auth.Require
func (s *Todos) Add(c *kk.Ctx, id UserID, in NewTodo) (Todo, error) {
	t := Todo{Title: in.Title, Priority: cmp.Or(in.Priority, 3), Estimate: in.Estimate, Tags: in.Tags}
	t, err := s.Store.AddTodo(id, t)
	if err != nil {
		return Todo{}, err
	}
	c.Response.Header.Set("Location", fmt.Sprintf("%s/%d", c.Path(), t.ID))
	s.publish(c, "created", id, t)
	return t, nil
}

// Get is one todo of the user with id.
//
//kk:route GET /users/:id/todos/:todo
func (s *Todos) Get(id UserID, todo uint32) (Todo, error) { return s.Store.Todo(id, todo) }

// Update changes the fields a JSON body sets.
//
//kk:route PATCH /users/:id/todos/:todo
//kk:use Auth.Require
func (s *Todos) Update(ctx context.Context, id UserID, todo uint32, in TodoPatch) (Todo, error) {
	t, err := s.Store.UpdateTodo(id, todo, func(t *Todo) error {
		if in.Title != nil {
			t.Title = *in.Title
		}
		if in.Done != nil {
			t.Done = *in.Done
		}
		if in.Priority != nil {
			t.Priority = *in.Priority
		}
		if in.Estimate != nil {
			t.Estimate = *in.Estimate
		}
		if in.Tags != nil {
			t.Tags = *in.Tags
		}
		return nil
	})
	if err == nil {
		s.publish(ctx, "updated", id, t)
	}
	return t, err
}

// SetTags replaces a todo's tags with a JSON array body: a slice type is
// a JSON body too, and its Validate method runs.
//
//kk:route PUT /users/:id/todos/:todo/tags
//kk:use Auth.Require
func (s *Todos) SetTags(id UserID, todo uint32, tags Tags) (Todo, error) {
	return s.Store.UpdateTodo(id, todo, func(t *Todo) error { t.Tags = tags; return nil })
}

// RemoveTag takes one tag off a todo: 204. tag is a view into the request,
// used and dropped within the call.
//
//kk:route DELETE /users/:id/todos/:todo/tags/:tag
//kk:use Auth.Require
func (s *Todos) RemoveTag(id UserID, todo uint32, tag []byte) error {
	_, err := s.Store.UpdateTodo(id, todo, func(t *Todo) error {
		i := slices.IndexFunc(t.Tags, func(s string) bool { return s == string(tag) })
		if i < 0 {
			return fmt.Errorf("tag %q of todo %d: %w", tag, todo, ErrNotFound)
		}
		t.Tags = slices.Delete(t.Tags, i, i+1) // t is a copy: Store.UpdateTodo stores it
		return nil
	})
	return err
}

// Top is the n open todos of highest priority. The static segment
// "top" wins over GET /users/:id/todos/:todo.
//
//kk:route GET /users/:id/todos/top/:n
func (s *Todos) Top(id UserID, n int) ([]Todo, error) {
	if n < 1 {
		return nil, kk.Error(http.StatusBadRequest, "n must be at least 1")
	}
	todos, _, err := s.Store.Todos(id)
	if err != nil {
		return nil, err
	}
	todos = slices.DeleteFunc(todos, func(t Todo) bool { return t.Done })
	slices.SortStableFunc(todos, func(a, b Todo) int { return int(b.Priority) - int(a.Priority) })
	return todos[:min(n, len(todos))], nil
}

// SetDone marks a todo done or not done: 204. Like the two routes after
// it, a one-field shortcut for PATCH with the value in the path.
//
//kk:route PUT /users/:id/todos/:todo/done/:done
//kk:use Auth.Require
func (s *Todos) SetDone(id UserID, todo uint32, done bool) error {
	_, err := s.Store.UpdateTodo(id, todo, func(t *Todo) error { t.Done = done; return nil })
	return err
}

// SetPriority sets a todo's priority, from 1 (low) to 5 (urgent).
//
//kk:route PUT /users/:id/todos/:todo/priority/:priority
//kk:use Auth.Require
func (s *Todos) SetPriority(id UserID, todo uint32, priority int8) (Todo, error) {
	if priority < 1 || priority > 5 {
		return Todo{}, kk.Error(http.StatusUnprocessableEntity, "priority must be from 1 to 5")
	}
	return s.Store.UpdateTodo(id, todo, func(t *Todo) error { t.Priority = priority; return nil })
}

// SetEstimate sets how many hours a todo should take.
//
//kk:route PUT /users/:id/todos/:todo/estimate/:hours
//kk:use Auth.Require
func (s *Todos) SetEstimate(id UserID, todo uint32, hours float32) (Todo, error) {
	if hours < 0 || math.IsNaN(float64(hours)) || math.IsInf(float64(hours), 0) {
		return Todo{}, kk.Error(http.StatusUnprocessableEntity, "hours must be a finite number, at least 0")
	}
	return s.Store.UpdateTodo(id, todo, func(t *Todo) error { t.Estimate = hours; return nil })
}

// Delete deletes a todo: 204.
//
//kk:route DELETE /users/:id/todos/:todo
//kk:use Auth.Require
func (s *Todos) Delete(id UserID, todo uint32) error { return s.Store.DeleteTodo(id, todo) }

// Export is the todo list of the user with id as CSV, sent as an
// attachment (a []byte result is application/octet-stream).
//
//kk:route GET /users/:id/export
func (s *Todos) Export(c *kk.Ctx, id UserID) ([]byte, error) {
	todos, _, err := s.Store.Todos(id)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"id", "title", "done", "priority", "estimate_hours", "tags"})
	for _, t := range todos {
		w.Write([]string{
			strconv.FormatUint(uint64(t.ID), 10), t.Title, strconv.FormatBool(t.Done),
			strconv.Itoa(int(t.Priority)), strconv.FormatFloat(float64(t.Estimate), 'g', -1, 32),
			strings.Join(t.Tags, " "),
		})
	}
	w.Flush()
	c.Response.Header.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="user-%d-todos.csv"`, id))
	return buf.Bytes(), w.Error()
}
