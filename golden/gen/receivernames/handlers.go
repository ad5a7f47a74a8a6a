// Package receivernames has receiver types whose parameter names need
// care: a keyword, a name the package already uses, an unexported type, a
// type whose name lowers to the wrappers' own local, an initialism, and a
// handler parameter named like its receiver.
package receivernames

// Type lowers to the keyword type, so its parameter is kkType.
type Type struct{ Name string }

//kk:route GET /type
func (t *Type) Get() string { return t.Name }

// Store lowers to store, a package-level var, so its parameter is kkStore.
type Store struct{ Name string }

var store = "the package's own store"

//kk:route GET /store
func (s Store) Get() string { return s.Name + " beside " + store }

// server is unexported: its parameter is server, like the type.
type server struct{ prefix string }

//kk:route GET /echo/:server
func (s *server) Echo(server string) string { return s.prefix + server }

// C lowers to c, the name the wrappers give their *kk.Ctx.
type C struct{ Name string }

//kk:route GET /c/:n
func (x *C) Get(n int) string { return x.Name + string(rune('0'+n)) }

// HTTPClient lowers to httpClient.
type HTTPClient struct{ Name string }

//kk:route GET /client
func (h *HTTPClient) Get() string { return h.Name }

// CGet is a func whose wrapper name kkCGet a method wrapper also wants.
//
//kk:route GET /cget
func CGet() string { return "func" }

// URLs lowers to urls (a plural initialism), as the clients name it.
type URLs struct{ Name string }

//kk:route GET /urls
func (u *URLs) Get() string { return u.Name }

// APIKeys lowers to apiKeys.
type APIKeys struct{ Name string }

//kk:route GET /keys
func (a *APIKeys) Get() string { return a.Name }
