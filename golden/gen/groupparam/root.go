// The root group (no prefix, no middleware, said outright since the other
// files' groups add middleware); a static route beats the groups'
// parameters.
//
//kk:group /
package groupparam

//kk:route GET /orgs/new
func NewOrgForm() string { return "new org form" }

//kk:route GET /orgs/:org
func Org(org string) string { return "org " + org }
