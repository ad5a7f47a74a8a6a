// Package results covers every result form: none, error, T and (T, error);
// string as text, []byte as octet-stream, anything else as JSON; and the 204
// rule for handlers that return no value and write nothing.
package results

import (
	"errors"

	kk "github.com/kommandkit/kk/runtime"
)

// User is encoded as JSON with its field tags.
type User struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

// HTML is a named string: it is not the string type, so it is JSON.
type HTML string

var errBoom = errors.New("boom")

//kk:route POST /none
func None() {}

//kk:route POST /none-writes
func NoneWrites(c *kk.Ctx) { c.SetBodyString("written") }

//kk:route POST /none-status
func NoneStatus(c *kk.Ctx) { c.SetStatusCode(202) }

//kk:route DELETE /err/:fail
func Err(fail bool) error {
	if fail {
		return errBoom
	}
	return nil
}

//kk:route DELETE /err-writes
func ErrWrites(c *kk.Ctx) error {
	c.SetContentType("text/csv")
	c.SetBodyString("a,b\n")
	return nil
}

//kk:route GET /text
func Text() string { return "héllo" }

//kk:route GET /empty-text
func EmptyText() string { return "" }

//kk:route GET /bytes
func Bytes() []byte { return []byte{0, 1, 2, 255} }

//kk:route GET /nil-bytes
func NilBytes() []byte { return nil }

//kk:route GET /user
func GetUser() User { return User{ID: 1, Name: "Ann <admin>"} }

//kk:route GET /user-ptr
func GetUserPtr() *User { return &User{ID: 2, Name: "Bob", Email: "b@example.com"} }

//kk:route GET /nil-ptr
func NilPtr() *User { return nil }

//kk:route GET /list
func List() []User { return []User{{ID: 1}, {ID: 2}} }

//kk:route GET /map
func Map() map[string]int { return map[string]int{"b": 2, "a": 1} }

//kk:route GET /int
func Int() int { return 42 }

//kk:route GET /html
func GetHTML() HTML { return "<b>" }

//kk:route GET /any
func Any() any { return []any{"x", 1.5, true, nil} }

//kk:route GET /text-err/:fail
func TextErr(fail bool) (string, error) {
	if fail {
		return "partial", kk.Error(409, "text failed")
	}
	return "text ok", nil
}

//kk:route GET /bytes-err/:fail
func BytesErr(fail bool) ([]byte, error) {
	if fail {
		return []byte("partial"), kk.Error(410, "bytes failed")
	}
	return []byte("bytes ok"), nil
}

//kk:route GET /user-err/:fail
func UserErr(fail bool) (*User, error) {
	if fail {
		return &User{}, kk.Error(422, "user failed")
	}
	return &User{ID: 3, Name: "Cy"}, nil
}

// Unencodable fails while encoding: a 500 after the handler returned.
//
//kk:route GET /unencodable
func Unencodable() map[string]any { return map[string]any{"f": func() {}} }
