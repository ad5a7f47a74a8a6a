//kk:group /
package main

import (
	"maps"
	"sync"

	kk "github.com/kommandkit/kk/runtime"
)

// counter counts requests by the route that served them.
type counter struct {
	mu sync.Mutex
	n  map[string]uint64
}

func newCounter() *counter { return &counter{n: map[string]uint64{}} }

func (c *counter) add(key string) {
	c.mu.Lock()
	c.n[key]++
	c.mu.Unlock()
}

func (c *counter) snapshot() map[string]uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.n)
}

// unmatched is the route name counted and sent for a 404 or 405.
const unmatched = "unmatched"

// observe is middleware that counts each request under its route, read
// from c.Route() ("GET /users/:id"; "unmatched" for a 404 or 405), and
// names the route in an X-Route response header.
func observe(counts *counter) kk.Middleware {
	return func(next kk.Handler) kk.Handler {
		return func(c *kk.Ctx) error {
			route := unmatched
			if r := c.Route(); r != nil {
				route = r.Method + " " + r.Pattern
			}
			c.Response.Header.Set("X-Route", route)
			counts.add(route)
			return next(c)
		}
	}
}

// Stats is what the service holds and how often each route was served.
type Stats struct {
	Users    int               `json:"users"`
	Todos    int               `json:"todos"`
	Requests map[string]uint64 `json:"requests"`
}

// Monitor reports on the service: its store's size, and the requests
// counted by the router's observe middleware.
type Monitor struct {
	Store    *Store
	Requests *counter
}

// Stats reports the store's size and the request counts.
//
//kk:route GET /stats
func (m *Monitor) Stats() Stats {
	users, todos := m.Store.Counts()
	return Stats{Users: users, Todos: todos, Requests: m.Requests.snapshot()}
}
