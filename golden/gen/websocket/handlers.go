// Package websocket covers WebSocket routes: a *kk.WebSocket parameter
// makes one; path, query and input-struct parameters are bound (and
// validated) before the upgrade; //kk:use middleware runs on the upgrade
// request; the handler's result picks the close code.
package websocket

import (
	"context"
	"errors"
	"fmt"
	"io"

	kk "github.com/kommandkit/kk/runtime"
)

// Join echoes every message, prefixed with the room.
//
//kk:route GET /rooms/:room/ws
func Join(ctx context.Context, room string, ws *kk.WebSocket) error {
	for {
		kind, data, err := ws.ReadMessage()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := ws.WriteMessage(kind, append([]byte(room+": "), data...)); err != nil {
			return err
		}
	}
}

// Query is bound from the upgrade request's query string.
type Query struct {
	Name  string `query:"name,required"`
	Limit int    `query:"limit" default:"5"`
}

// Validate runs before the upgrade too: a failure is 422.
func (q Query) Validate() error {
	if q.Name == "nobody" {
		return errors.New("name: nobody may not join")
	}
	return nil
}

// Typed binds a typed path parameter and an input struct, greets once,
// and closes with the code the client asks for.
//
//kk:route GET /typed/:id/ws
func Typed(id int, q Query, ws *kk.WebSocket) error {
	if err := ws.WriteText(fmt.Sprintf("id=%d name=%s limit=%d", id, q.Name, q.Limit)); err != nil {
		return err
	}
	var code int
	if err := ws.ReadJSON(&code); err != nil {
		return err
	}
	switch code {
	case 1000:
		return nil
	case 1011:
		return errors.New("asked to fail")
	}
	return &kk.CloseError{Code: code, Reason: "as asked"}
}

// Plain takes no context and returns nothing: the connection closes with
// 1000 when it returns.
//
//kk:route GET /plain
func Plain(ws *kk.WebSocket) { _ = ws.WriteText("plain") }

// Private is behind an auth middleware, which refuses before the upgrade.
//
//kk:route GET /private/ws
//kk:use RequireToken
func Private(context.Context, *kk.WebSocket) error { return nil }

// RequireToken answers 401 unless the request carries ?token=secret.
func RequireToken(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		if string(c.QueryArgs().Peek("token")) != "secret" {
			return kk.Error(401, "token required")
		}
		return next(c)
	}
}

// Hello is an ordinary route beside the WebSocket ones.
//
//kk:route GET /hello
func Hello() string { return "hello" }
