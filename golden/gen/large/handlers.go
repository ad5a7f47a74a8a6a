// Package large is a large-ish route table: many resources whose names
// share prefixes, each with the usual REST routes, so the matcher has deep
// static splits with parameters and catch-alls beneath them. Every handler
// answers its own name and parameters.
package large

//kk:route GET /repos
func ListRepos() string { return "ListRepos" }

//kk:route POST /repos
func CreateRepos() string { return "CreateRepos" }

//kk:route GET /repos/:id
func GetRepos(id string) string { return "GetRepos" + " " + id }

//kk:route PATCH /repos/:id
func UpdateRepos(id string) string { return "UpdateRepos" + " " + id }

//kk:route DELETE /repos/:id
func DeleteRepos(id string) string { return "DeleteRepos" + " " + id }

//kk:route GET /repos/:id/events
func ReposEvents(id string) string { return "ReposEvents" + " " + id }

//kk:route GET /repos/:owner/items/:item
func ReposItem(owner, item string) string { return "ReposItem" + " " + owner + " " + item }

//kk:route GET /repos/search
func FindRepos() string { return "FindRepos" }

//kk:route GET /repos/:id/raw/*path
func ReposRaw(id, path string) string { return "ReposRaw" + " " + id + " " + path }

//kk:route GET /repositories
func ListRepositories() string { return "ListRepositories" }

//kk:route POST /repositories
func CreateRepositories() string { return "CreateRepositories" }

//kk:route GET /repositories/:id
func GetRepositories(id string) string { return "GetRepositories" + " " + id }

//kk:route PATCH /repositories/:id
func UpdateRepositories(id string) string { return "UpdateRepositories" + " " + id }

//kk:route DELETE /repositories/:id
func DeleteRepositories(id string) string { return "DeleteRepositories" + " " + id }

//kk:route GET /repositories/:id/events
func RepositoriesEvents(id string) string { return "RepositoriesEvents" + " " + id }

//kk:route GET /repositories/:owner/items/:item
func RepositoriesItem(owner, item string) string {
	return "RepositoriesItem" + " " + owner + " " + item
}

//kk:route GET /repositories/search
func FindRepositories() string { return "FindRepositories" }

//kk:route GET /reports
func ListReports() string { return "ListReports" }

//kk:route POST /reports
func CreateReports() string { return "CreateReports" }

//kk:route GET /reports/:id
func GetReports(id string) string { return "GetReports" + " " + id }

//kk:route PATCH /reports/:id
func UpdateReports(id string) string { return "UpdateReports" + " " + id }

//kk:route DELETE /reports/:id
func DeleteReports(id string) string { return "DeleteReports" + " " + id }

//kk:route GET /reports/:id/events
func ReportsEvents(id string) string { return "ReportsEvents" + " " + id }

//kk:route GET /reports/:owner/items/:item
func ReportsItem(owner, item string) string { return "ReportsItem" + " " + owner + " " + item }

//kk:route GET /reports/search
func FindReports() string { return "FindReports" }

//kk:route GET /releases
func ListReleases() string { return "ListReleases" }

//kk:route POST /releases
func CreateReleases() string { return "CreateReleases" }

//kk:route GET /releases/:id
func GetReleases(id string) string { return "GetReleases" + " " + id }

//kk:route PATCH /releases/:id
func UpdateReleases(id string) string { return "UpdateReleases" + " " + id }

//kk:route DELETE /releases/:id
func DeleteReleases(id string) string { return "DeleteReleases" + " " + id }

//kk:route GET /releases/:id/events
func ReleasesEvents(id string) string { return "ReleasesEvents" + " " + id }

//kk:route GET /releases/:owner/items/:item
func ReleasesItem(owner, item string) string { return "ReleasesItem" + " " + owner + " " + item }

//kk:route GET /releases/search
func FindReleases() string { return "FindReleases" }

//kk:route GET /releases/:id/raw/*path
func ReleasesRaw(id, path string) string { return "ReleasesRaw" + " " + id + " " + path }

//kk:route GET /users
func ListUsers() string { return "ListUsers" }

//kk:route POST /users
func CreateUsers() string { return "CreateUsers" }

//kk:route GET /users/:id
func GetUsers(id string) string { return "GetUsers" + " " + id }

//kk:route PATCH /users/:id
func UpdateUsers(id string) string { return "UpdateUsers" + " " + id }

//kk:route DELETE /users/:id
func DeleteUsers(id string) string { return "DeleteUsers" + " " + id }

//kk:route GET /users/:id/events
func UsersEvents(id string) string { return "UsersEvents" + " " + id }

//kk:route GET /users/:owner/items/:item
func UsersItem(owner, item string) string { return "UsersItem" + " " + owner + " " + item }

//kk:route GET /users/search
func FindUsers() string { return "FindUsers" }

//kk:route GET /user
func ListUser() string { return "ListUser" }

//kk:route POST /user
func CreateUser() string { return "CreateUser" }

//kk:route GET /user/:id
func GetUser(id string) string { return "GetUser" + " " + id }

//kk:route PATCH /user/:id
func UpdateUser(id string) string { return "UpdateUser" + " " + id }

//kk:route DELETE /user/:id
func DeleteUser(id string) string { return "DeleteUser" + " " + id }

//kk:route GET /user/:id/events
func UserEvents(id string) string { return "UserEvents" + " " + id }

//kk:route GET /user/:owner/items/:item
func UserItem(owner, item string) string { return "UserItem" + " " + owner + " " + item }

//kk:route GET /user/search
func FindUser() string { return "FindUser" }

//kk:route GET /usage
func ListUsage() string { return "ListUsage" }

//kk:route POST /usage
func CreateUsage() string { return "CreateUsage" }

//kk:route GET /usage/:id
func GetUsage(id string) string { return "GetUsage" + " " + id }

//kk:route PATCH /usage/:id
func UpdateUsage(id string) string { return "UpdateUsage" + " " + id }

//kk:route DELETE /usage/:id
func DeleteUsage(id string) string { return "DeleteUsage" + " " + id }

//kk:route GET /usage/:id/events
func UsageEvents(id string) string { return "UsageEvents" + " " + id }

//kk:route GET /usage/:owner/items/:item
func UsageItem(owner, item string) string { return "UsageItem" + " " + owner + " " + item }

//kk:route GET /usage/search
func FindUsage() string { return "FindUsage" }

//kk:route GET /usage/:id/raw/*path
func UsageRaw(id, path string) string { return "UsageRaw" + " " + id + " " + path }

//kk:route GET /orgs
func ListOrgs() string { return "ListOrgs" }

//kk:route POST /orgs
func CreateOrgs() string { return "CreateOrgs" }

//kk:route GET /orgs/:id
func GetOrgs(id string) string { return "GetOrgs" + " " + id }

//kk:route PATCH /orgs/:id
func UpdateOrgs(id string) string { return "UpdateOrgs" + " " + id }

//kk:route DELETE /orgs/:id
func DeleteOrgs(id string) string { return "DeleteOrgs" + " " + id }

//kk:route GET /orgs/:id/events
func OrgsEvents(id string) string { return "OrgsEvents" + " " + id }

//kk:route GET /orgs/:owner/items/:item
func OrgsItem(owner, item string) string { return "OrgsItem" + " " + owner + " " + item }

//kk:route GET /orgs/search
func FindOrgs() string { return "FindOrgs" }

//kk:route GET /organizations
func ListOrganizations() string { return "ListOrganizations" }

//kk:route POST /organizations
func CreateOrganizations() string { return "CreateOrganizations" }

//kk:route GET /organizations/:id
func GetOrganizations(id string) string { return "GetOrganizations" + " " + id }

//kk:route PATCH /organizations/:id
func UpdateOrganizations(id string) string { return "UpdateOrganizations" + " " + id }

//kk:route DELETE /organizations/:id
func DeleteOrganizations(id string) string { return "DeleteOrganizations" + " " + id }

//kk:route GET /organizations/:id/events
func OrganizationsEvents(id string) string { return "OrganizationsEvents" + " " + id }

//kk:route GET /organizations/:owner/items/:item
func OrganizationsItem(owner, item string) string {
	return "OrganizationsItem" + " " + owner + " " + item
}

//kk:route GET /organizations/search
func FindOrganizations() string { return "FindOrganizations" }

//kk:route GET /teams
func ListTeams() string { return "ListTeams" }

//kk:route POST /teams
func CreateTeams() string { return "CreateTeams" }

//kk:route GET /teams/:id
func GetTeams(id string) string { return "GetTeams" + " " + id }

//kk:route PATCH /teams/:id
func UpdateTeams(id string) string { return "UpdateTeams" + " " + id }

//kk:route DELETE /teams/:id
func DeleteTeams(id string) string { return "DeleteTeams" + " " + id }

//kk:route GET /teams/:id/events
func TeamsEvents(id string) string { return "TeamsEvents" + " " + id }

//kk:route GET /teams/:owner/items/:item
func TeamsItem(owner, item string) string { return "TeamsItem" + " " + owner + " " + item }

//kk:route GET /teams/search
func FindTeams() string { return "FindTeams" }

//kk:route GET /teams/:id/raw/*path
func TeamsRaw(id, path string) string { return "TeamsRaw" + " " + id + " " + path }

//kk:route GET /team
func ListTeam() string { return "ListTeam" }

//kk:route POST /team
func CreateTeam() string { return "CreateTeam" }

//kk:route GET /team/:id
func GetTeam(id string) string { return "GetTeam" + " " + id }

//kk:route PATCH /team/:id
func UpdateTeam(id string) string { return "UpdateTeam" + " " + id }

//kk:route DELETE /team/:id
func DeleteTeam(id string) string { return "DeleteTeam" + " " + id }

//kk:route GET /team/:id/events
func TeamEvents(id string) string { return "TeamEvents" + " " + id }

//kk:route GET /team/:owner/items/:item
func TeamItem(owner, item string) string { return "TeamItem" + " " + owner + " " + item }

//kk:route GET /team/search
func FindTeam() string { return "FindTeam" }

//kk:route GET /issues
func ListIssues() string { return "ListIssues" }

//kk:route POST /issues
func CreateIssues() string { return "CreateIssues" }

//kk:route GET /issues/:id
func GetIssues(id string) string { return "GetIssues" + " " + id }

//kk:route PATCH /issues/:id
func UpdateIssues(id string) string { return "UpdateIssues" + " " + id }

//kk:route DELETE /issues/:id
func DeleteIssues(id string) string { return "DeleteIssues" + " " + id }

//kk:route GET /issues/:id/events
func IssuesEvents(id string) string { return "IssuesEvents" + " " + id }

//kk:route GET /issues/:owner/items/:item
func IssuesItem(owner, item string) string { return "IssuesItem" + " " + owner + " " + item }

//kk:route GET /issues/search
func FindIssues() string { return "FindIssues" }

//kk:route GET /issue-types
func ListIssueTypes() string { return "ListIssueTypes" }

//kk:route POST /issue-types
func CreateIssueTypes() string { return "CreateIssueTypes" }

//kk:route GET /issue-types/:id
func GetIssueTypes(id string) string { return "GetIssueTypes" + " " + id }

//kk:route PATCH /issue-types/:id
func UpdateIssueTypes(id string) string { return "UpdateIssueTypes" + " " + id }

//kk:route DELETE /issue-types/:id
func DeleteIssueTypes(id string) string { return "DeleteIssueTypes" + " " + id }

//kk:route GET /issue-types/:id/events
func IssueTypesEvents(id string) string { return "IssueTypesEvents" + " " + id }

//kk:route GET /issue-types/:owner/items/:item
func IssueTypesItem(owner, item string) string { return "IssueTypesItem" + " " + owner + " " + item }

//kk:route GET /issue-types/search
func FindIssueTypes() string { return "FindIssueTypes" }

//kk:route GET /issue-types/:id/raw/*path
func IssueTypesRaw(id, path string) string { return "IssueTypesRaw" + " " + id + " " + path }

//kk:route GET /pulls
func ListPulls() string { return "ListPulls" }

//kk:route POST /pulls
func CreatePulls() string { return "CreatePulls" }

//kk:route GET /pulls/:id
func GetPulls(id string) string { return "GetPulls" + " " + id }

//kk:route PATCH /pulls/:id
func UpdatePulls(id string) string { return "UpdatePulls" + " " + id }

//kk:route DELETE /pulls/:id
func DeletePulls(id string) string { return "DeletePulls" + " " + id }

//kk:route GET /pulls/:id/events
func PullsEvents(id string) string { return "PullsEvents" + " " + id }

//kk:route GET /pulls/:owner/items/:item
func PullsItem(owner, item string) string { return "PullsItem" + " " + owner + " " + item }

//kk:route GET /pulls/search
func FindPulls() string { return "FindPulls" }

//kk:route GET /projects
func ListProjects() string { return "ListProjects" }

//kk:route POST /projects
func CreateProjects() string { return "CreateProjects" }

//kk:route GET /projects/:id
func GetProjects(id string) string { return "GetProjects" + " " + id }

//kk:route PATCH /projects/:id
func UpdateProjects(id string) string { return "UpdateProjects" + " " + id }

//kk:route DELETE /projects/:id
func DeleteProjects(id string) string { return "DeleteProjects" + " " + id }

//kk:route GET /projects/:id/events
func ProjectsEvents(id string) string { return "ProjectsEvents" + " " + id }

//kk:route GET /projects/:owner/items/:item
func ProjectsItem(owner, item string) string { return "ProjectsItem" + " " + owner + " " + item }

//kk:route GET /projects/search
func FindProjects() string { return "FindProjects" }

//kk:route GET /projectv2
func ListProjectv2() string { return "ListProjectv2" }

//kk:route POST /projectv2
func CreateProjectv2() string { return "CreateProjectv2" }

//kk:route GET /projectv2/:id
func GetProjectv2(id string) string { return "GetProjectv2" + " " + id }

//kk:route PATCH /projectv2/:id
func UpdateProjectv2(id string) string { return "UpdateProjectv2" + " " + id }

//kk:route DELETE /projectv2/:id
func DeleteProjectv2(id string) string { return "DeleteProjectv2" + " " + id }

//kk:route GET /projectv2/:id/events
func Projectv2Events(id string) string { return "Projectv2Events" + " " + id }

//kk:route GET /projectv2/:owner/items/:item
func Projectv2Item(owner, item string) string { return "Projectv2Item" + " " + owner + " " + item }

//kk:route GET /projectv2/search
func FindProjectv2() string { return "FindProjectv2" }

//kk:route GET /projectv2/:id/raw/*path
func Projectv2Raw(id, path string) string { return "Projectv2Raw" + " " + id + " " + path }

//kk:route GET /gists
func ListGists() string { return "ListGists" }

//kk:route POST /gists
func CreateGists() string { return "CreateGists" }

//kk:route GET /gists/:id
func GetGists(id string) string { return "GetGists" + " " + id }

//kk:route PATCH /gists/:id
func UpdateGists(id string) string { return "UpdateGists" + " " + id }

//kk:route DELETE /gists/:id
func DeleteGists(id string) string { return "DeleteGists" + " " + id }

//kk:route GET /gists/:id/events
func GistsEvents(id string) string { return "GistsEvents" + " " + id }

//kk:route GET /gists/:owner/items/:item
func GistsItem(owner, item string) string { return "GistsItem" + " " + owner + " " + item }

//kk:route GET /gists/search
func FindGists() string { return "FindGists" }

//kk:route GET /gist-comments
func ListGistComments() string { return "ListGistComments" }

//kk:route POST /gist-comments
func CreateGistComments() string { return "CreateGistComments" }

//kk:route GET /gist-comments/:id
func GetGistComments(id string) string { return "GetGistComments" + " " + id }

//kk:route PATCH /gist-comments/:id
func UpdateGistComments(id string) string { return "UpdateGistComments" + " " + id }

//kk:route DELETE /gist-comments/:id
func DeleteGistComments(id string) string { return "DeleteGistComments" + " " + id }

//kk:route GET /gist-comments/:id/events
func GistCommentsEvents(id string) string { return "GistCommentsEvents" + " " + id }

//kk:route GET /gist-comments/:owner/items/:item
func GistCommentsItem(owner, item string) string {
	return "GistCommentsItem" + " " + owner + " " + item
}

//kk:route GET /gist-comments/search
func FindGistComments() string { return "FindGistComments" }

//kk:route GET /events
func ListEvents() string { return "ListEvents" }

//kk:route POST /events
func CreateEvents() string { return "CreateEvents" }

//kk:route GET /events/:id
func GetEvents(id string) string { return "GetEvents" + " " + id }

//kk:route PATCH /events/:id
func UpdateEvents(id string) string { return "UpdateEvents" + " " + id }

//kk:route DELETE /events/:id
func DeleteEvents(id string) string { return "DeleteEvents" + " " + id }

//kk:route GET /events/:id/events
func EventsEvents(id string) string { return "EventsEvents" + " " + id }

//kk:route GET /events/:owner/items/:item
func EventsItem(owner, item string) string { return "EventsItem" + " " + owner + " " + item }

//kk:route GET /events/search
func FindEvents() string { return "FindEvents" }

//kk:route GET /events/:id/raw/*path
func EventsRaw(id, path string) string { return "EventsRaw" + " " + id + " " + path }

//kk:route GET /notifications
func ListNotifications() string { return "ListNotifications" }

//kk:route POST /notifications
func CreateNotifications() string { return "CreateNotifications" }

//kk:route GET /notifications/:id
func GetNotifications(id string) string { return "GetNotifications" + " " + id }

//kk:route PATCH /notifications/:id
func UpdateNotifications(id string) string { return "UpdateNotifications" + " " + id }

//kk:route DELETE /notifications/:id
func DeleteNotifications(id string) string { return "DeleteNotifications" + " " + id }

//kk:route GET /notifications/:id/events
func NotificationsEvents(id string) string { return "NotificationsEvents" + " " + id }

//kk:route GET /notifications/:owner/items/:item
func NotificationsItem(owner, item string) string {
	return "NotificationsItem" + " " + owner + " " + item
}

//kk:route GET /notifications/search
func FindNotifications() string { return "FindNotifications" }

//kk:route GET /search
func ListSearch() string { return "ListSearch" }

//kk:route POST /search
func CreateSearch() string { return "CreateSearch" }

//kk:route GET /search/:id
func GetSearch(id string) string { return "GetSearch" + " " + id }

//kk:route PATCH /search/:id
func UpdateSearch(id string) string { return "UpdateSearch" + " " + id }

//kk:route DELETE /search/:id
func DeleteSearch(id string) string { return "DeleteSearch" + " " + id }

//kk:route GET /search/:id/events
func SearchEvents(id string) string { return "SearchEvents" + " " + id }

//kk:route GET /search/:owner/items/:item
func SearchItem(owner, item string) string { return "SearchItem" + " " + owner + " " + item }

//kk:route GET /search/search
func FindSearch() string { return "FindSearch" }

//kk:route GET /settings
func ListSettings() string { return "ListSettings" }

//kk:route POST /settings
func CreateSettings() string { return "CreateSettings" }

//kk:route GET /settings/:id
func GetSettings(id string) string { return "GetSettings" + " " + id }

//kk:route PATCH /settings/:id
func UpdateSettings(id string) string { return "UpdateSettings" + " " + id }

//kk:route DELETE /settings/:id
func DeleteSettings(id string) string { return "DeleteSettings" + " " + id }

//kk:route GET /settings/:id/events
func SettingsEvents(id string) string { return "SettingsEvents" + " " + id }

//kk:route GET /settings/:owner/items/:item
func SettingsItem(owner, item string) string { return "SettingsItem" + " " + owner + " " + item }

//kk:route GET /settings/search
func FindSettings() string { return "FindSettings" }

//kk:route GET /settings/:id/raw/*path
func SettingsRaw(id, path string) string { return "SettingsRaw" + " " + id + " " + path }

//kk:route GET /apps
func ListApps() string { return "ListApps" }

//kk:route POST /apps
func CreateApps() string { return "CreateApps" }

//kk:route GET /apps/:id
func GetApps(id string) string { return "GetApps" + " " + id }

//kk:route PATCH /apps/:id
func UpdateApps(id string) string { return "UpdateApps" + " " + id }

//kk:route DELETE /apps/:id
func DeleteApps(id string) string { return "DeleteApps" + " " + id }

//kk:route GET /apps/:id/events
func AppsEvents(id string) string { return "AppsEvents" + " " + id }

//kk:route GET /apps/:owner/items/:item
func AppsItem(owner, item string) string { return "AppsItem" + " " + owner + " " + item }

//kk:route GET /apps/search
func FindApps() string { return "FindApps" }

//kk:route GET /app
func ListApp() string { return "ListApp" }

//kk:route POST /app
func CreateApp() string { return "CreateApp" }

//kk:route GET /app/:id
func GetApp(id string) string { return "GetApp" + " " + id }

//kk:route PATCH /app/:id
func UpdateApp(id string) string { return "UpdateApp" + " " + id }

//kk:route DELETE /app/:id
func DeleteApp(id string) string { return "DeleteApp" + " " + id }

//kk:route GET /app/:id/events
func AppEvents(id string) string { return "AppEvents" + " " + id }

//kk:route GET /app/:owner/items/:item
func AppItem(owner, item string) string { return "AppItem" + " " + owner + " " + item }

//kk:route GET /app/search
func FindApp() string { return "FindApp" }

//kk:route GET /
func Index() string { return "Index" }

//kk:route GET /v1/*rest
func V1(rest string) string { return "V1 " + rest }
