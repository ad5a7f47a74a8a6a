//kk:group /users/:id
package groupparam

// The group's parameter is an int here; every route binds it.

//kk:route GET /profile
func Profile(id int64) int64 { return id }

//kk:route GET /orgs/:org
func UserOrg(id int64, org string) string { return itoa(int(id)) + "@" + org }
