package kk

import "sync"

// watchDone calls stop when done closes, unless the returned unwatch is
// called first. Long-lived handlers use it to notice a plain fasthttp
// server's shutdown (its Done channel), which kk's own servers also signal
// through each server's live set (live.go). One goroutine waits per channel, however many
// connections watch it, so an idle connection costs no goroutine here.
func watchDone(done <-chan struct{}, stop func()) (unwatch func()) {
	if done == nil {
		return func() {}
	}
	watchers.mu.Lock()
	w := watchers.m[done]
	if w == nil {
		if watchers.m == nil {
			watchers.m = make(map[<-chan struct{}]*doneWatch)
		}
		w = &doneWatch{stops: make(map[*func()]struct{})}
		watchers.m[done] = w
		go w.wait(done)
	}
	key := &stop
	fired := w.fired
	if !fired {
		w.stops[key] = struct{}{}
	}
	watchers.mu.Unlock()
	if fired {
		stop()
		return func() {}
	}
	return func() {
		watchers.mu.Lock()
		delete(w.stops, key)
		watchers.mu.Unlock()
	}
}

var watchers struct {
	mu sync.Mutex
	m  map[<-chan struct{}]*doneWatch
}

type doneWatch struct {
	stops map[*func()]struct{}
	fired bool
}

func (w *doneWatch) wait(done <-chan struct{}) {
	<-done
	watchers.mu.Lock()
	w.fired = true
	stops := make([]func(), 0, len(w.stops))
	for k := range w.stops {
		stops = append(stops, *k)
	}
	w.stops = nil
	delete(watchers.m, done)
	watchers.mu.Unlock()
	for _, stop := range stops {
		stop()
	}
}
