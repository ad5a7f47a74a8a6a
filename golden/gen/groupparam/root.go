package groupparam

// Files without a group are not prefixed; a static route beats the
// groups' parameters.

//kk:route GET /orgs/new
func NewOrgForm() string { return "new org form" }

//kk:route GET /orgs/:org
func Org(org string) string { return "org " + org }
