//kk:group /admin use=APIKeys.Require
package receivers

// This file's group puts its routes under /admin behind APIKeys.Require,
// a method named as the group's middleware.

// Count is how many todos the store holds up to id, behind the group's
// key check.
//
//kk:route GET /count/:id
func (t *Todos) Count(id int64) int {
	n := 0
	for i := int64(1); i <= id; i++ {
		if _, ok := t.Store.Get(i); ok {
			n++
		}
	}
	return n
}
