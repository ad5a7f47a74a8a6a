// Package admin is the example's admin server: health, stats and
// metrics-style counters about the public API server. It runs beside the
// API in the same process (kk.Run), on a loopback port and with limits of
// its own, so that it stays reachable while the API is saturated and its
// tight limits never touch the API's.
package admin

//go:generate go run ../../cmd/kkgen

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// Source is what the admin server reports on.
type Source struct {
	API      *kk.Server               // the server observed
	Requests func() map[string]uint64 // requests served, by route
	Counts   func() (users, todos int)
	Started  time.Time
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

// Metrics is the same as Stats in the Prometheus text format, one
// counter or gauge a line.
//
//kk:route GET /metrics
func (src *Source) Metrics() string {
	st := src.API.Stats()
	users, todos := src.Counts()
	var b strings.Builder
	metric := func(name, kind, help string, v any) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n%s %v\n", name, help, name, kind, name, v)
	}
	metric("kk_connections", "gauge", "Connections open on the API server.", st.Connections)
	metric("kk_requests_in_flight", "gauge", "Requests in their handlers on the API server.", st.InFlight)
	metric("kk_requests_rejected_total", "counter", "Requests refused with 503 for the API server's Concurrency.", st.Rejected)
	metric("example_users", "gauge", "Users in the store.", users)
	metric("example_todos", "gauge", "Todos in the store.", todos)
	requests := src.Requests()
	fmt.Fprintf(&b, "# HELP kk_requests_total Requests served by the API, by route.\n# TYPE kk_requests_total counter\n")
	for _, route := range slices.Sorted(maps.Keys(requests)) {
		fmt.Fprintf(&b, "kk_requests_total{route=%q} %d\n", route, requests[route])
	}
	return b.String()
}
