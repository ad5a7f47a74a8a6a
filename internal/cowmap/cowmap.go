// Package cowmap is a map for what a server builds on the first request of
// its kind and then only reads, per request: the middleware of otelkk and
// promkk keep their per-route values in one.
package cowmap

import (
	"sync"
	"sync/atomic"
)

// Map is a map read without locks and written by copying: what a
// server's requests look up (per route, method and scheme; per status) is
// built on the first request of its kind, so writes stop early, and a
// read is an atomic load and a map access (a sync.Map costs several times
// that per lookup).
type Map[K comparable, V any] struct {
	mu sync.Mutex
	m  atomic.Pointer[map[K]V]
}

// Get is k's value and whether it has one, without a lock: one atomic load
// of the current map, which writers replace and never change.
func (c *Map[K, V]) Get(k K) (V, bool) {
	if m := c.m.Load(); m != nil {
		v, ok := (*m)[k]
		return v, ok
	}
	var zero V
	return zero, false
}

// Put keeps v for k unless k has a value already, and returns the one
// kept.
func (c *Map[K, V]) Put(k K, v V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old != nil {
		if had, ok := (*old)[k]; ok {
			return had
		}
	}
	next := make(map[K]V, 1)
	if old != nil {
		for ok, ov := range *old {
			next[ok] = ov
		}
	}
	next[k] = v
	c.m.Store(&next)
	return v
}
