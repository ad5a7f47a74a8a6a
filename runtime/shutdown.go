package kk

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// ErrShutdownTimeout is wrapped by the error Run returns when a server's
// ShutdownTimeout passed before its requests and long-lived connections
// had finished, so that Run closed them.
var ErrShutdownTimeout = errors.New("kk: shutdown deadline passed")

// stopping is a server's shutdown, and what its requests learn of it:
// begun is closed as the shutdown begins (ShuttingDown), cut is cancelled
// when the ShutdownTimeout passes (passed is set then), and with it every
// request context still alive (requestctx.go). Run cancels cut once it
// returns too, without setting passed.
type stopping struct {
	live   liveSet // the server's WebSockets and event streams (live.go)
	begun  chan struct{}
	down   atomic.Bool // begun is closed: answers carry Connection: close, Serve's return is no failure
	passed atomic.Bool // the shutdown deadline passed: requests still running outlived it (limits.go)
	once   sync.Once
	cut    context.Context
	cutNow context.CancelFunc
}

func newStopping() *stopping {
	st := &stopping{begun: make(chan struct{})}
	st.cut, st.cutNow = context.WithCancel(context.Background())
	return st
}

// deadlinePassed cuts off what is still running when the ShutdownTimeout
// has passed.
func (st *stopping) deadlinePassed() {
	st.passed.Store(true)
	st.cutNow()
}

// begin closes begun, once.
func (st *stopping) begin() {
	st.once.Do(func() {
		st.down.Store(true)
		close(st.begun)
	})
}

// shutdown shuts every server down at once and returns the first error.
//
// What fasthttp v1.79.0's ShutdownWithContext does, read from its source:
// it closes the listeners (Serve returns), closes the Done channel every
// RequestCtx shares, then every 100 ms closes the connections that are
// idle between requests (at once) or that sent nothing for 5 s since they
// were accepted, until no connection is open. A request in flight runs to
// the end; with CloseOnShutdown its answer carries Connection: close and
// its connection is closed after it. Hijacked connections (WebSockets) are
// not counted, which is why each server keeps a live set of its own. When
// ctx expires it returns ctx.Err() and leaves the remaining connections
// running, so closing them is up to kk.
func shutdown(servers []*Server) error {
	for _, s := range servers {
		s.stop.begin()
	}
	start := time.Now()
	var wg sync.WaitGroup
	leftLive := make([]int, len(servers))
	errs := make([]error, len(servers))
	for i, s := range servers {
		wg.Go(func() { // each server's long-lived connections, within its ShutdownTimeout
			ctx, cancel := context.WithTimeout(context.Background(), s.shutdownTimeout())
			defer cancel()
			leftLive[i] = s.stop.live.shutdown(ctx)
		})
		wg.Go(func() { errs[i] = s.drain() })
	}
	wg.Wait()
	for i, s := range servers {
		if n := leftLive[i]; n > 0 {
			s.log().Warn("kk: shutdown deadline passed; long-lived connections still open",
				"addr", s.ln.Addr().String(), "timeout", s.shutdownTimeout(), "long_lived", n)
			if errs[i] == nil {
				errs[i] = fmt.Errorf("%w: server on %s had %d long-lived connections open",
					ErrShutdownTimeout, s.ln.Addr(), n)
			}
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	for _, s := range servers {
		s.log().Info("kk: stopped", "addr", s.ln.Addr().String(), "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func (s *Server) shutdownTimeout() time.Duration {
	return orDuration(s.ShutdownTimeout, DefaultShutdownTimeout)
}

// drain shuts s's fasthttp server down within its ShutdownTimeout, then
// closes what is still open, logging what it cut off.
func (s *Server) drain() error {
	d := s.shutdownTimeout()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	<-s.serving // Serve has registered the listener, so the shutdown closes it
	err := s.fs.ShutdownWithContext(ctx)
	if err == nil {
		return nil
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("kk: shutting down %s: %w", s.ln.Addr(), err)
	}
	s.stop.deadlinePassed() // the handlers still running see their context cancelled
	requests := s.inFlight()
	conns := s.conns.closeAll()
	s.log().Warn("kk: shutdown deadline passed; closed what remained",
		"addr", s.ln.Addr().String(), "timeout", d, "requests", requests, "connections", len(conns),
		"remotes", remotes(conns, 10))
	return fmt.Errorf("%w: server on %s had %d requests in flight on %d connections; they were closed",
		ErrShutdownTimeout, s.ln.Addr(), requests, len(conns))
}

// remotes lists the remote addresses of up to max of conns.
func remotes(conns []net.Conn, max int) []string {
	out := make([]string, 0, min(len(conns), max))
	for _, c := range conns[:min(len(conns), max)] {
		out = append(out, c.RemoteAddr().String())
	}
	return out
}

// connSet is the set of connections a server has open. fasthttp's
// ShutdownWithContext leaves connections running once its deadline has
// passed; this is how kk finds them to close. It is fed by fasthttp's
// ConnState hook, which runs per connection (new, closed, hijacked) and
// per request (active, idle); only the first kind takes the lock.
type connSet struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func (cs *connSet) track(c net.Conn, state fasthttp.ConnState) {
	switch state {
	case fasthttp.StateNew:
		cs.mu.Lock()
		if cs.conns == nil {
			cs.conns = make(map[net.Conn]struct{})
		}
		cs.conns[c] = struct{}{}
		cs.mu.Unlock()
	case fasthttp.StateClosed, fasthttp.StateHijacked:
		// A hijacked connection belongs to its handler now; the router's
		// server's live set asks it to finish.
		cs.mu.Lock()
		delete(cs.conns, c)
		cs.mu.Unlock()
	}
}

func (cs *connSet) len() int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return len(cs.conns)
}

// closeAll closes every connection in the set and returns them.
func (cs *connSet) closeAll() []net.Conn {
	cs.mu.Lock()
	conns := make([]net.Conn, 0, len(cs.conns))
	for c := range cs.conns {
		conns = append(conns, c)
	}
	clear(cs.conns)
	cs.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
	return conns
}
