// Package extmethods covers extension methods: tokens with a dash
// (M-SEARCH), which is no identifier character, so the matcher's name maps
// it; a method spelled the same with an underscore (M_SEARCH), whose matcher
// would get that same name; and WebDAV's PROPFIND. Each is served by its own
// routes and listed in the Allow header of a 405. M-SEARCH and M_SEARCH
// are in no registry, so the package declares them.
//
//kk:method M-SEARCH M_SEARCH
package extmethods

//kk:route M-SEARCH /devices/:id
func Search(id string) string { return "m-search " + id }

//kk:route M_SEARCH /devices/:id
func SearchUnderscore(id string) string { return "m_search " + id }

//kk:route PROPFIND /devices/:id
func PropFind(id string) string { return "propfind " + id }

//kk:route PROPFIND /dav/*path
func PropFindDAV(path string) string { return "propfind dav " + path }

//kk:route M-SEARCH /
func SearchRoot() error { return nil }

//kk:route GET /devices
func List() string { return "list" }

// QUERY (a registered method, safe and with a body) and VERSION-CONTROL
// (a registered WebDAV method with a dash) need no declaration.
//
//kk:route QUERY /devices
func Query(body []byte) string { return "query " + string(body) }

//kk:route VERSION-CONTROL /dav/*path
func VersionControl(path string) string { return "version-control " + path }
