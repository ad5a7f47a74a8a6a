//kk:group /api use=Auth
package chain

import kk "github.com/kommandkit/kk/runtime"

func Auth(next kk.Handler) kk.Handler  { return next }
func Audit(next kk.Handler) kk.Handler { return next }

//kk:route GET /users
func Users() string { return "" }

//kk:route DELETE /users/:id
//kk:use Audit
//kk:timeout 2s
func DeleteUser(id int) {}
