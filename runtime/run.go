package kk

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/signal"
	"syscall"

	"github.com/kommandkit/kk/runtime/internal/edge"
)

// Run serves every server until ctx is done, then shuts them all down
// together (see Server and docs/servers.md): each stops accepting, lets
// the requests in flight finish and answers them with Connection: close,
// closes its idle keep-alive connections at once, asks its router's
// WebSockets and event streams to finish, and waits up to its
// ShutdownTimeout before closing whatever remains.
//
// Run watches no signals: the program owns them. A service that must
// fail its readiness probe and wait for the load balancer before it
// drains catches SIGTERM itself (signal.NotifyContext), does that, and
// only then cancels ctx; ListenAndServe is the one-line form that stops on
// SIGINT and SIGTERM.
//
// The shutdown does not cancel the context of a request in flight: that
// is cancelled when the handler returns or the ShutdownTimeout passes.
// A handler learns that the shutdown has begun from ShuttingDown.
//
// Run listens on every server before serving any, logging "kk: listening"
// with each bound address; if one cannot listen, none serves and Run
// returns that error. If a server stops by itself (its listener fails), the
// others are shut down too. Run returns nil after a clean shutdown, else
// the first error: a listener's, or one wrapping ErrShutdownTimeout when a
// deadline cut something off.
func Run(ctx context.Context, servers ...*Server) error {
	if len(servers) == 0 {
		return errors.New("kk: Run: no servers")
	}
	seen := make(map[*Server]bool, len(servers))
	for i, s := range servers {
		switch {
		case s == nil:
			return fmt.Errorf("kk: Run: server %d is nil", i)
		case seen[s]:
			return fmt.Errorf("kk: Run: server %d (%s) is given twice", i, s.boundAddr())
		case s.Router == nil:
			return fmt.Errorf("kk: Run: server %d (%s) has no Router", i, s.boundAddr())
		case s.fs != nil:
			return fmt.Errorf("kk: Run: server %d (%s) has already been run", i, s.boundAddr())
		}
		seen[s] = true
	}
	for i, s := range servers {
		if err := s.listen(); err != nil {
			for _, o := range servers[:i] {
				o.ln.Close()
			}
			return err
		}
	}
	stopped := make(chan error, len(servers))
	for _, s := range servers {
		s.stop = newStopping() // shutdown.go
		defer s.stop.cutNow()  // nothing is left in flight once Run returns
		s.fs = s.fasthttp(s.limit(s.Router.handlerOn(s.stop)))
		s.log().Info("kk: listening", "addr", s.ln.Addr().String(), "network", s.ln.Addr().Network())
		s.serving = make(chan struct{})
		go func() { stopped <- s.serve() }()
	}
	var first error
	running := len(servers)
	select {
	case <-ctx.Done():
	case first = <-stopped: // a listener failed: stop the others too
		running--
	}
	if err := shutdown(servers); first == nil {
		first = err
	}
	for ; running > 0; running-- {
		if err := <-stopped; first == nil {
			first = err
		}
	}
	return first
}

// listen opens s's listener, unless it was given one.
func (s *Server) listen() (err error) {
	if s.tls, err = serverTLS(s.TLSConfig); err != nil { // tls.go
		return err
	}
	defer func() {
		if s.ln != nil {
			a := s.ln.Addr().String()
			s.bound.Store(&a)
		}
	}()
	if s.Listener != nil {
		s.ln = s.Listener
		return nil
	}
	addr := s.Addr
	if addr == "" {
		addr = ":http" // as net/http does
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("kk: %w", err)
	}
	s.ln = ln
	return nil
}

// serve runs fasthttp's accept loop. It returns nil once shutdown has
// closed the listener, and an error when the listener failed or was
// closed by someone else.
func (s *Server) serve() error {
	defer s.servingOnce.Do(func() { close(s.serving) })
	err := s.fs.Serve(acceptingListener{edge.Listener{Listener: s.tlsListener(s.ln)}, s}) // internal/edge, tls.go
	if s.stop.down.Load() {                                                               // the shutdown closed the listener
		return nil
	}
	if err == nil {
		err = net.ErrClosed
	}
	return fmt.Errorf("kk: server on %s stopped: %w", s.ln.Addr(), err)
}

// acceptingListener tells the shutdown when fasthttp's Serve has begun
// accepting: ShutdownWithContext on a server whose Serve has not yet
// registered its listener returns at once and leaves it serving.
type acceptingListener struct {
	net.Listener
	s *Server
}

func (l acceptingListener) Accept() (net.Conn, error) {
	l.s.servingOnce.Do(func() { close(l.s.serving) })
	return l.Listener.Accept()
}

// ListenAndServe serves r on addr with kk's default limits until the
// process gets SIGINT or SIGTERM, then shuts down as Run does and returns
// nil when that shutdown was clean. It is the one-line form, for a main
// that has nothing to do between the signal and the drain:
//
//	if err := kk.ListenAndServe(":8080", r); err != nil {
//		log.Fatal(err)
//	}
//
// Once the shutdown has begun the signals have their default effect
// again: a second SIGINT or SIGTERM ends the process at once, for an
// operator who will not wait for the drain. A program that must do
// something before draining (fail its readiness probe, wait) catches the
// signals itself and uses Run.
func ListenAndServe(addr string, r *Router) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done() // a signal, or Run has returned
		stop()
	}()
	return Run(ctx, &Server{Addr: addr, Router: r})
}

// Serve serves r on ln with kk's default limits until ctx is done, then
// shuts down as Run does. It is Run with one Server, and like Run it
// watches no signals.
func Serve(ctx context.Context, ln net.Listener, r *Router) error {
	return Run(ctx, &Server{Listener: ln, Router: r})
}
