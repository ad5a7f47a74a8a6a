package templates

import (
	"strings"
	"testing"
)

func TestRoutes(t *testing.T) {
	var b strings.Builder
	err := Routes.Execute(&b, []RouteDoc{
		{Method: "GET", Pattern: "/users/:id", Handler: "GetUser", Pos: "users.go:12"},
		{Method: "DELETE", Pattern: "/users/:id", Handler: "DeleteUser", Pos: "users.go:30", Chain: "Auth, timeout 2s"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "GET     /users/:id                               GetUser\tusers.go:12\n" +
		"DELETE  /users/:id                               DeleteUser\tusers.go:30\tAuth, timeout 2s\n"
	if b.String() != want {
		t.Errorf("got:\n%q\nwant:\n%q", b.String(), want)
	}
}
