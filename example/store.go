package main

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"
)

// User is a person with a todo list.
type User struct {
	ID      UserID    `json:"id"`
	Name    Handle    `json:"name"`
	Email   string    `json:"email"`
	Created time.Time `json:"created"`
}

// Todo is one item on a user's list.
type Todo struct {
	ID       uint32   `json:"id"`
	Title    string   `json:"title"`
	Done     bool     `json:"done"`
	Priority int8     `json:"priority"`
	Estimate float32  `json:"estimate_hours"`
	Tags     []string `json:"tags,omitempty"`
}

// hasTags reports whether t carries every one of tags.
func (t Todo) hasTags(tags []string) bool {
	for _, tag := range tags {
		if !slices.Contains(t.Tags, tag) {
			return false
		}
	}
	return true
}

// Store keeps users and their todos in memory, guarded by one mutex.
// Every method returns copies, so callers never share its state.
type Store struct {
	mu     sync.RWMutex
	nextID UserID
	users  map[UserID]*account
	byName map[Handle]UserID
	feed   *changeFeed // every change to a todo list, in order (feed.go)
}

type account struct {
	User
	todos    []Todo // ordered by ID
	nextTodo uint32
	version  uint64 // bumped by every change to todos; see Store.Todos
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{users: map[UserID]*account{}, byName: map[Handle]UserID{}, feed: newChangeFeed(time.Now())}
}

func notFoundUser(id UserID) error { return fmt.Errorf("user %d: %w", id, ErrNotFound) }

// Users lists every user, by ID.
func (s *Store) Users() []User {
	s.mu.RLock()
	defer s.mu.RUnlock()
	users := make([]User, 0, len(s.users))
	for _, a := range s.users {
		users = append(users, a.User)
	}
	slices.SortFunc(users, func(a, b User) int { return cmp.Compare(a.ID, b.ID) })
	return users
}

// Counts is how many users and todos the store holds.
func (s *Store) Counts() (users, todos int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, a := range s.users {
		todos += len(a.todos)
	}
	return len(s.users), todos
}

// AddUser creates a user called name, which must be free.
func (s *Store) AddUser(name Handle, email string) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.byName[name]; taken {
		return User{}, &ConflictError{Kind: "user", Name: string(name)}
	}
	s.nextID++
	a := &account{User: User{ID: s.nextID, Name: name, Email: email, Created: time.Now().UTC()}}
	s.users[a.ID] = a
	s.byName[name] = a.ID
	return a.User, nil
}

// User is the user with id.
func (s *Store) User(id UserID) (User, error) {
	var u User
	err := s.view(id, func(a *account) error { u = a.User; return nil })
	return u, err
}

// UserByName is the user called name.
func (s *Store) UserByName(name Handle) (User, error) {
	s.mu.RLock()
	id, ok := s.byName[name]
	s.mu.RUnlock()
	if !ok {
		return User{}, fmt.Errorf("user %q: %w", name, ErrNotFound)
	}
	return s.User(id)
}

// DeleteUser removes the user with id and their todos.
func (s *Store) DeleteUser(id UserID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.users[id]
	if !ok {
		return notFoundUser(id)
	}
	delete(s.users, id)
	delete(s.byName, a.Name)
	return nil
}

// Todos is a copy of the todo list of the user with id, and the list's
// version, which changes whenever the list does (an ETag is made of it).
func (s *Store) Todos(id UserID) ([]Todo, uint64, error) {
	todos := []Todo{} // encode as [], not null
	var version uint64
	err := s.view(id, func(a *account) error {
		for _, t := range a.todos {
			todos = append(todos, t.clone())
		}
		version = a.version
		return nil
	})
	return todos, version, err
}

// AddTodo appends t, with a new ID, to the list of the user with id. Its
// title must not be on the list yet.
func (s *Store) AddTodo(id UserID, t Todo) (Todo, error) {
	err := s.update(id, func(a *account) error {
		if err := a.titleFree(t.Title, 0); err != nil {
			return err
		}
		a.nextTodo++
		t.ID = a.nextTodo
		t = t.clone()
		a.todos = append(a.todos, t)
		s.feed.publish("todo.added", id, t) // feed.go
		return nil
	})
	return t.clone(), err
}

// Todo is one todo of the user with id.
func (s *Store) Todo(id UserID, todo uint32) (Todo, error) {
	var t Todo
	err := s.view(id, func(a *account) error {
		i, err := a.find(todo)
		if err == nil {
			t = a.todos[i].clone()
		}
		return err
	})
	return t, err
}

// UpdateTodo runs fn on a copy of a todo of the user with id and stores
// the result, unless fn fails or the new title is another todo's.
func (s *Store) UpdateTodo(id UserID, todo uint32, fn func(t *Todo) error) (Todo, error) {
	var t Todo
	err := s.update(id, func(a *account) error {
		i, err := a.find(todo)
		if err != nil {
			return err
		}
		t = a.todos[i].clone()
		if err := fn(&t); err != nil {
			return err
		}
		if err := a.titleFree(t.Title, t.ID); err != nil {
			return err
		}
		a.todos[i] = t.clone()
		s.feed.publish("todo.updated", id, t)
		return nil
	})
	return t, err
}

// DeleteTodo removes a todo of the user with id.
func (s *Store) DeleteTodo(id UserID, todo uint32) error {
	return s.update(id, func(a *account) error {
		i, err := a.find(todo)
		if err != nil {
			return err
		}
		s.feed.publish("todo.deleted", id, Todo{ID: todo})
		a.todos = slices.Delete(a.todos, i, i+1)
		return nil
	})
}

func (a *account) find(todo uint32) (int, error) {
	i, ok := slices.BinarySearchFunc(a.todos, todo, func(t Todo, id uint32) int { return cmp.Compare(t.ID, id) })
	if !ok {
		return 0, fmt.Errorf("todo %d of user %d: %w", todo, a.ID, ErrNotFound)
	}
	return i, nil
}

// titleFree fails with a conflict if a todo other than the one with ID
// except is called title.
func (a *account) titleFree(title string, except uint32) error {
	for _, t := range a.todos {
		if t.Title == title && t.ID != except {
			return &ConflictError{Kind: "todo", Name: title}
		}
	}
	return nil
}

// clone is t with its own copy of its tags.
func (t Todo) clone() Todo {
	t.Tags = slices.Clone(t.Tags)
	return t
}

func (s *Store) view(id UserID, fn func(a *account) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.users[id]
	if !ok {
		return notFoundUser(id)
	}
	return fn(a)
}

// update runs fn on the account with id under the write lock, and bumps
// the version of its todo list if fn succeeds.
func (s *Store) update(id UserID, fn func(a *account) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.users[id]
	if !ok {
		return notFoundUser(id)
	}
	if err := fn(a); err != nil {
		return err
	}
	a.version++
	return nil
}
