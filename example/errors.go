package main

import (
	"encoding/json"
	"errors"
	"strconv"

	kk "github.com/kommandkit/kk/runtime"
)

// ErrNotFound is returned, wrapped, for a user, todo or file that does not
// exist.
//
//kk:error 404
var ErrNotFound = errors.New("not found")

// ConflictError is a name that is already taken.
//
//kk:error 409
type ConflictError struct {
	Kind string // "user" or "todo"
	Name string
}

func (e *ConflictError) Error() string {
	return e.Kind + " " + strconv.Quote(e.Name) + " already exists"
}

// notFoundBody is the JSON body of every 404.
type notFoundBody struct {
	Error  string `json:"error"`
	Detail string `json:"detail"`
	Path   string `json:"path"`
}

// NotFound writes the body of every 404, whether no route matched or a
// handler returned ErrNotFound, in place of kk's problem-details body.
//
//kk:errorhandler 404
func NotFound(c *kk.Ctx, err error) {
	body, _ := json.Marshal(notFoundBody{Error: "not_found", Detail: err.Error(), Path: string(c.Path())})
	c.SetContentType("application/json")
	c.SetBody(body)
}
