// Package ok is a valid kkgen input for the command's tests.
package ok

//kk:route GET /hello/:name
func Hello(name string) string { return "hello " + name }
