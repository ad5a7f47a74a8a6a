// Package priority covers route specificity: a static segment beats a
// :param, which beats a *catch-all, and a branch that leads nowhere falls
// back to the next alternative.
package priority

//kk:route GET /users/new
func NewUser() string { return "new" }

//kk:route GET /users/:id
func User(id string) string { return "user " + id }

//kk:route GET /users/:id/profile
func Profile(id string) string { return "profile " + id }

//kk:route GET /users/new/settings
func NewSettings() string { return "new settings" }

//kk:route GET /users/newest
func Newest() string { return "newest" }

//kk:route GET /users/*rest
func UsersRest(rest string) string { return "users rest " + rest }

//kk:route GET /files/readme
func Readme() string { return "readme" }

//kk:route GET /files/:name
func FileName(name string) string { return "name " + name }

//kk:route GET /files/*path
func FilePath(path string) string { return "path " + path }

//kk:route GET /a/:x/c
func AXC(x string) string { return "a x c " + x }

//kk:route GET /a/b/:y
func ABY(y string) string { return "a b y " + y }

//kk:route GET /
func Root() string { return "root" }

//kk:route GET /*any
func Any(any string) string { return "any " + any }
