// Package bad has two annotation problems, reported together.
package bad

//kk:route GET /hello/:name
func Hello(nom chan string) string { return "hello " + <-nom }

//kk:route GET hello
func Other() {}
