package kk

import (
	"context"
	"sync"
)

// liveSet tracks the connections a kk Server has handed to long-lived
// handlers (WebSockets, event streams). fasthttp stops counting a
// connection once it is hijacked or streaming, so without this a
// shutdown could neither tell those handlers to finish nor wait for them.
// Each Server has its own (in its stopping): a router served by several
// servers, or served again after one stopped, has its sessions told to
// finish by the shutdown of the server they came in on, and by no other.
//
// A long-lived handler calls add with a func that asks it to finish (send
// 1001, cancel its context) and calls the returned func when it is done.
// A server's shutdown calls shutdown, which asks every one of them and
// then waits for them until ctx is done. One mutex guards it all: a
// sync.WaitGroup would forbid the add that races a shutdown's wait (a
// socket upgraded as the server stops), which is exactly what happens.
type liveSet struct {
	mu    sync.Mutex
	conns map[*liveConn]struct{}
	down  bool          // shutdown has begun: new ones are asked to finish at once
	empty chan struct{} // while a shutdown waits: closed when the last one finishes
}

type liveConn struct{ stop func() }

// track registers a long-lived connection of a request on st's server
// (liveSet.add); on a plain fasthttp.Server (st nil) nothing tracks it,
// and done does nothing.
func (st *stopping) track(stop func()) (done func()) {
	if st == nil {
		return func() {}
	}
	return st.live.add(stop)
}

// add registers a long-lived connection whose handler finishes when stop
// is called (once, however many shutdowns ask). It returns the func to
// call once the handler has finished.
func (s *liveSet) add(stop func()) (done func()) {
	stop = sync.OnceFunc(stop)
	lc := &liveConn{stop: stop}
	s.mu.Lock()
	if s.conns == nil {
		s.conns = make(map[*liveConn]struct{})
	}
	s.conns[lc] = struct{}{}
	down := s.down
	s.mu.Unlock()
	if down {
		stop()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			delete(s.conns, lc)
			if len(s.conns) == 0 && s.empty != nil {
				close(s.empty)
				s.empty = nil
			}
			s.mu.Unlock()
		})
	}
}

// len is the number of long-lived connections open now.
func (s *liveSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// shutdown asks every long-lived handler to finish and waits until they
// all have or ctx is done. It returns how many were still open then.
func (s *liveSet) shutdown(ctx context.Context) int {
	s.mu.Lock()
	s.down = true
	if len(s.conns) == 0 {
		s.mu.Unlock()
		return 0
	}
	stops := make([]func(), 0, len(s.conns))
	for lc := range s.conns {
		stops = append(stops, lc.stop)
	}
	if s.empty == nil {
		s.empty = make(chan struct{})
	}
	empty := s.empty
	s.mu.Unlock()
	for _, stop := range stops {
		stop()
	}
	select {
	case <-empty:
		return 0
	case <-ctx.Done():
		return s.len()
	}
}
