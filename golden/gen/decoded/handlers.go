// Package decoded covers matching on the decoded path: percent-escapes are
// decoded before matching, in static segments and in parameters alike.
package decoded

//kk:route GET /users/:name
func User(name string) string { return "user " + name }

//kk:route GET /users/:name/len
func UserLen(name string) int { return len([]rune(name)) }

//kk:route GET /café/menu
func Menu() string { return "menu" }

//kk:route GET /files/*path
func File(path []byte) []byte { return path }
