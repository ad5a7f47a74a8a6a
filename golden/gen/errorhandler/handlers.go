// Package errorhandler covers per-status error handlers: //kk:errorhandler
// funcs and Router.OnError, which replace the default problem body.
package errorhandler

import (
	"errors"

	kk "github.com/kommandkit/kk/runtime"
)

//kk:error 404
var ErrNoUser = errors.New("no such user")

//kk:error 409
var ErrTaken = errors.New("name taken")

//kk:route GET /users/:name
func User(name string) (string, error) {
	switch name {
	case "ghost":
		return "", ErrNoUser
	case "taken":
		return "", ErrTaken
	case "boom":
		panic("boom")
	case "bad":
		return "", kk.Error(400, "bad name")
	}
	return "user " + name, nil
}

// NotFound renders every 404: unknown users and unknown paths alike.
//
//kk:errorhandler 404
func NotFound(c *kk.Ctx, err error) {
	c.SetContentType("text/html; charset=utf-8")
	c.SetBodyString("<h1>not here</h1><p>" + err.Error() + "</p>")
}

//kk:errorhandler 500
func Internal(c *kk.Ctx, err error) {
	c.SetContentType("text/plain; charset=utf-8")
	c.SetBodyString("sorry")
}

//kk:errorhandler 409
func Conflict(c *kk.Ctx, err error) {
	c.Response.Header.Set("X-Conflict", err.Error())
	panic("error handlers may panic too")
}
