package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

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
	if len(b) < 2 || len(b) > 32 {
		return errors.New("must be 2 to 32 characters long")
	}
	for i, r := range b {
		switch {
		case 'a' <= r && r <= 'z':
		case i > 0 && ('0' <= r && r <= '9' || r == '-' || r == '_'):
		default:
			return errors.New("must be lower-case letters, digits, '-' and '_', starting with a letter")
		}
	}
	*h = Handle(b)
	return nil
}

// ListUsers lists every user.
//
//kk:route GET /users
func ListUsers() []User { return store.Users() }

// CreateUser creates a user called name and answers 201 with it.
//
//kk:route POST /users/:name
func CreateUser(c *kk.Ctx, name Handle) (User, error) {
	u, err := store.AddUser(name)
	if err != nil {
		return User{}, err
	}
	c.Response.Header.Set("Location", fmt.Sprintf("/users/%d", u.ID))
	c.SetStatusCode(http.StatusCreated)
	return u, nil
}

// GetUser is the user with id.
//
//kk:route GET /users/:id
func GetUser(id UserID) (User, error) { return store.User(id) }

// UserByName is the user called name. The static segment "by-name" wins
// over GET /users/:id.
//
//kk:route GET /users/by-name/:name
func UserByName(name string) (User, error) { return store.UserByName(Handle(name)) }

// DeleteUser deletes the user with id and their todos: 204.
//
//kk:route DELETE /users/:id
func DeleteUser(ctx context.Context, id UserID) error {
	if err := store.DeleteUser(id); err != nil {
		return err
	}
	slog.InfoContext(ctx, "user deleted", "id", id)
	return nil
}
