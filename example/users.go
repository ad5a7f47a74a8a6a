//kk:group /api/v1 use=revalidate
package main

// The //kk:group line above the package clause puts every route of this
// file under /api/v1 and wraps each in revalidate. Routes in other files
// are not covered: todos.go carries the same line, and files.go, stats.go
// and debug.go serve outside the group.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"strconv"
	"strings"

	kk "github.com/kommandkit/kk/runtime"
)

// UserID identifies a user. As a named int64 it is decoded from the path
// like an int64.
type UserID int64

// Handle is a user name: 2 to 32 lower-case letters, digits, '-' or '_',
// starting with a letter. It decodes itself from the path through
// encoding.TextUnmarshaler, so a bad one is a 400 naming the parameter.
type Handle string

// UnmarshalText checks and sets a handle.
func (h *Handle) UnmarshalText(b []byte) error {
	if err := checkHandle(string(b)); err != nil {
		return err
	}
	*h = Handle(b)
	return nil
}

func checkHandle(s string) error {
	if len(s) < 2 || len(s) > 32 {
		return errors.New("must be 2 to 32 characters long")
	}
	for i, r := range s {
		switch {
		case 'a' <= r && r <= 'z':
		case i > 0 && ('0' <= r && r <= '9' || r == '-' || r == '_'):
		default:
			return errors.New("must be lower-case letters, digits, '-' and '_', starting with a letter")
		}
	}
	return nil
}

// Users serves the user routes from its Store.
type Users struct {
	Store *Store
}

// NewUser is the JSON body of POST /api/v1/users.
type NewUser struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Validate runs after the body is decoded and before Users.Create is
// called. Returning kk.FieldErrors answers 422 with every bad field listed.
func (u NewUser) Validate() error {
	var errs kk.FieldErrors
	if err := checkHandle(u.Name); err != nil {
		errs = append(errs, kk.FieldError{Field: "name", In: "body", Message: err.Error()})
	}
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		errs = append(errs, kk.FieldError{Field: "email", In: "body", Message: "must be an address such as ada@example.com"})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil // not errs: a nil FieldErrors in an error is not a nil error
}

// UserPage is one page of Users.List. Next, when set, is the URL of the
// page after it.
type UserPage struct {
	Users []User `json:"users"`
	Next  string `json:"next,omitempty"`
}

// List is a page of users in ID order: at most ?limit= of them
// (default 20; a *int tells an absent limit from limit=0), with IDs after
// the cursor ?after=, and only those whose names start with ?prefix= when
// it is given. A limit that is not an integer is a 400 naming "limit".
//
//kk:route GET /users
func (u *Users) List(c *kk.Ctx, limit *int, after UserID, prefix string) (UserPage, error) {
	n := 20
	if limit != nil {
		n = *limit
	}
	if n < 1 || n > 100 {
		return UserPage{}, kk.FieldErrors{{Field: "limit", In: "query", Message: "must be from 1 to 100"}}
	}
	page := UserPage{Users: []User{}}
	for _, user := range u.Store.Users() {
		if user.ID <= after || !strings.HasPrefix(string(user.Name), prefix) {
			continue
		}
		if len(page.Users) == n {
			q := url.Values{"after": {strconv.FormatInt(int64(page.Users[n-1].ID), 10)}, "limit": {strconv.Itoa(n)}}
			if prefix != "" {
				q.Set("prefix", prefix)
			}
			page.Next = string(c.Path()) + "?" + q.Encode()
			break
		}
		page.Users = append(page.Users, user)
	}
	return page, nil
}

// Create creates a user from a JSON body and answers 201 (the status
// in the annotation) with it and its URL in Location.
//
//kk:route POST /users 201
//kk:use Auth.Require
func (u *Users) Create(c *kk.Ctx, in NewUser) (User, error) {
	user, err := u.Store.AddUser(Handle(in.Name), in.Email)
	if err != nil {
		return User{}, err
	}
	// c.Path() is /api/v1/users: the group prefix is not spelled out here.
	c.Response.Header.Set("Location", fmt.Sprintf("%s/%d", c.Path(), user.ID))
	return user, nil
}

// Get is the user with id.
//
//kk:route GET /users/:id
func (u *Users) Get(id UserID) (User, error) { return u.Store.User(id) }

// ByName is the user called name. The static segment "by-name" wins
// over GET /users/:id.
//
//kk:route GET /users/by-name/:name
func (u *Users) ByName(name Handle) (User, error) { return u.Store.UserByName(name) }

// Delete deletes the user with id and their todos: 204.
//
//kk:route DELETE /users/:id
//kk:use Auth.Require
func (u *Users) Delete(ctx context.Context, id UserID) error {
	if err := u.Store.DeleteUser(id); err != nil {
		return err
	}
	slog.InfoContext(ctx, "user deleted", "id", id)
	return nil
}
