package main

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/kommandkit/kk/promkk"
	kk "github.com/kommandkit/kk/runtime"
)

// metrics are the process's Prometheus metrics, in a registry of the
// service's own (not the global one, so each test's service has its
// own): the Go runtime's and the process's, promkk's request series of
// the API router (its middleware), and, once the API server is known,
// its gauges and the store's. The admin server serves them on /metrics.
type metrics struct {
	reg  *prometheus.Registry
	http *promkk.Metrics
}

func newMetrics() *metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return &metrics{reg: reg, http: promkk.New(promkk.Config{Registerer: reg})}
}

// watch registers the gauges of the API server and of the store.
func (m *metrics) watch(api *kk.Server, store *Store) {
	gauge := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f)
	}
	m.reg.MustRegister(
		gauge("kk_connections", "Connections open on the API server.", func() float64 { return float64(api.Stats().Connections) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "kk_requests_rejected_total",
			Help: "Requests refused with 503 for the API server's Concurrency."}, func() float64 { return float64(api.Stats().Rejected) }),
		gauge("example_users", "Users in the store.", func() float64 { u, _ := store.Counts(); return float64(u) }),
		gauge("example_todos", "Todos in the store.", func() float64 { _, t := store.Counts(); return float64(t) }),
	)
}
