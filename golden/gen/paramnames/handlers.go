// Package paramnames covers routes that name the parameter at the same
// position differently, in one method and across methods.
package paramnames

import (
	"fmt"
	"strings"
)

//kk:route GET /orgs/:org
func Org(org string) string { return "org " + org }

//kk:route GET /orgs/:name/repos
func Repos(name string) string { return "repos of " + name }

//kk:route GET /orgs/:owner/repos/:repo
func Repo(owner, repo string) string { return "repo " + owner + "/" + repo }

//kk:route GET /orgs/:o/repos/:r/issues/:n
func Issue(o string, r string, n int) string { return fmt.Sprintf("issue %s/%s#%d", o, r, n) }

//kk:route GET /orgs/:who/*rest
func OrgRest(who, rest string) string { return "rest " + who + " " + rest }

//kk:route DELETE /orgs/:id
func DeleteOrg(id int) string { return fmt.Sprint("deleted ", id) }

//kk:route PUT /orgs/:slug/repos/:id
func PutRepo(slug string, id int) string { return fmt.Sprint("put ", slug, " ", id) }

// Max has kk.MaxParams (32) parameters, the most a pattern may have.
//
//kk:route GET /max/:a0/:a1/:a2/:a3/:a4/:a5/:a6/:a7/:a8/:a9/:b0/:b1/:b2/:b3/:b4/:b5/:b6/:b7/:b8/:b9/:c0/:c1/:c2/:c3/:c4/:c5/:c6/:c7/:c8/:c9/:d0/:d1
func Max(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, d0, d1 string) string {
	return strings.Join([]string{a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, d0, d1}, ",")
}
