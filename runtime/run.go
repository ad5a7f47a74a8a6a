package kk

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/signal"
	"syscall"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/internal/quiet"
)

// Run serves every server until ctx is done or the process gets SIGINT or
// SIGTERM, then shuts them all down together (see Server and
// docs/servers.md): each stops accepting, lets the requests in flight
// finish and answers them with Connection: close, closes its idle
// keep-alive connections at once, asks its router's WebSockets and event
// streams to finish, and waits up to its ShutdownTimeout before closing
// whatever remains.
//
// A second SIGINT or SIGTERM during the shutdown is not caught: it ends
// the process at once, as it would without kk.
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
	stopSignals := func() {}
	if !quiet.Is(ctx) {
		ctx, stopSignals = signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
		defer stopSignals()
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
		s.fs = s.fasthttp(s.limit(s.Router.Handler()))
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
	// From here a second SIGINT or SIGTERM has its default effect: an
	// operator who will not wait for the drain can end the process.
	stopSignals()
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
	err := s.fs.Serve(acceptingListener{edgeListener{s.tlsListener(s.ln)}, s}) // edgeconn.go, tls.go
	if s.closing.Load() {
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

// ListenAndServe serves r on addr with kk's default limits until SIGINT or
// SIGTERM, then shuts down as Run does. It is Run with one Server.
func ListenAndServe(addr string, r *Router) error {
	return Run(context.Background(), &Server{Addr: addr, Router: r})
}

// Serve serves r on ln with kk's default limits until ctx is done (or
// SIGINT or SIGTERM arrives), then shuts down as Run does. It is Run with
// one Server.
func Serve(ctx context.Context, ln net.Listener, r *Router) error {
	return Run(ctx, &Server{Listener: ln, Router: r})
}

// NewServer is a fasthttp server for r with kk's default limits and error
// answers, for code that drives fasthttp itself. It has none of Server's
// Concurrency cap, connection tracking or shutdown deadline.
//
// Deprecated: use Server and Run, which take the same limits as fields.
func NewServer(r *Router) *fasthttp.Server {
	return (&Server{Router: r}).fasthttpWithout(r.Handler())
}

// ServeWith serves s on ln until ctx is done, then shuts it down with
// fasthttp's ShutdownWithContext, waiting up to DefaultShutdownTimeout.
//
// Deprecated: use Server and Run.
func ServeWith(ctx context.Context, ln net.Listener, s *fasthttp.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(edgeListener{ln}) }() // edgeconn.go
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), DefaultShutdownTimeout)
	defer cancel()
	err := s.ShutdownWithContext(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, net.ErrClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// fasthttpWithout is s's fasthttp server without kk's connection
// tracking, for NewServer, whose caller never shuts it down through kk.
func (s *Server) fasthttpWithout(h fasthttp.RequestHandler) *fasthttp.Server {
	fs := s.fasthttp(h)
	fs.ConnState = nil
	return fs
}
