// Package admin is the example's admin server: health, stats and
// Prometheus metrics about the public API server. It runs beside the
// API in the same process (kk.Run), on a loopback port and with limits of
// its own, so that it stays reachable while the API is saturated and its
// tight limits never touch the API's.
package admin

//go:generate go run ../../cmd/kkgen

import (
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// Source is what the admin server reports on.
type Source struct {
	API      *kk.Server               // the server observed
	Requests func() map[string]uint64 // requests served, by route
	Counts   func() (users, todos int)
	Started  time.Time

	// Prometheus serves GET /metrics: promkk.Handler of the registry.
	Prometheus kk.Handler
}

// New is the admin router, reporting on src: its routes are methods of
// the Source, so each router reports on the one it was given.
func New(src Source) *kk.Router { return NewRouter(&src) }

// Health is the answer of GET /healthz.
type Health struct {
	Status string `json:"status"`
	Uptime string `json:"uptime"`
	API    string `json:"api"` // the API server's bound address
}

// Healthz reports that the process is up, and where the API listens.
//
//kk:route GET /healthz
func (src *Source) Healthz() Health {
	return Health{Status: "ok", Uptime: time.Since(src.Started).Round(time.Second).String(), API: src.API.Stats().Addr}
}

// Stats is the answer of GET /stats.
type Stats struct {
	Server   kk.ServerStats    `json:"server"`
	Users    int               `json:"users"`
	Todos    int               `json:"todos"`
	Requests map[string]uint64 `json:"requests"`
}

// Stats reports the API server's connections, requests in flight and
// refusals, the store's size and the requests served by route.
//
//kk:route GET /stats
func (src *Source) Stats() Stats {
	users, todos := src.Counts()
	return Stats{Server: src.API.Stats(), Users: users, Todos: todos, Requests: src.Requests()}
}

// Metrics serves the Prometheus metrics of the process (the API's
// request series by route, method and status, and the API server's and
// the store's gauges) with the Source's handler.
//
//kk:route GET /metrics
func (src *Source) Metrics(c *kk.Ctx) error { return src.Prometheus(c) }
