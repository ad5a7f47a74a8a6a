//kk:group /orgs/:org/ use=Scope
package groupparam

import kk "github.com/kommandkit/kk/runtime"

// Scope is the group's middleware: it reads the prefix's parameter before
// any handler runs, and turns some away.
func Scope(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		org := c.Param("org")
		if org == "blocked" {
			return kk.Errorf(403, "org %s is blocked", org)
		}
		c.Response.Header.Set("X-Org", org)
		return next(c)
	}
}

// Repo binds the group's parameter through a path field.
type Repo struct {
	Org  string `path:"org"`
	Name string `path:"name"`
	Tab  string `query:"tab" default:"code"`
}

//kk:route GET /repos
func ListRepos(org string, page int) string { return org + " repos page " + itoa(page) }

//kk:route GET /repos/:name
func GetRepo(in Repo) Repo { return in }

//kk:route GET /members/:id
func Member(id uint16, org string) string { return org + "/" + itoa(int(id)) }

// The group's prefix is the pattern's start; "/" makes a trailing slash.
//
//kk:route GET /
func OrgHome(org string) string { return "home of " + org }

//kk:route GET /files/*path
func File(org, path string) string { return org + ":" + path }

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
