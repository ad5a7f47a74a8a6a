package kk

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/internal/edge"
)

// The defaults a zero field of Server stands for. They are safe for the
// open internet: every wait on a client is bounded, and so is what one
// request may make the server hold.
const (
	DefaultReadTimeout     = 30 * time.Second
	DefaultWriteTimeout    = 30 * time.Second
	DefaultIdleTimeout     = 2 * time.Minute
	DefaultShutdownTimeout = 10 * time.Second
	DefaultMaxBodySize     = 4 << 20
	// DefaultMaxHeaderSize bounds the request line and headers together:
	// room for an 8 KiB cookie and the usual rest. It is the size of each
	// connection's read buffer; a request whose headers do not fit answers
	// 431.
	DefaultMaxHeaderSize = 16 << 10
)

// Server is one listening HTTP server: a router, where it listens, and its
// limits. Several, each tuned for its job (a public API, a loopback admin
// port, an upload endpoint with its own limits), run in one process
// through Run, which shuts them all down together.
//
// A zero field means kk's default (the Default constants): 30 s read and
// write timeouts, 2 min idle, 10 s to shut down, a 4 MiB body, 16 KiB of
// headers, no connection limits and no cap on concurrent handlers.
//
// A Server serves once: after Run returns it is not to be run again.
type Server struct {
	// Addr is the TCP address to listen on (":8080", "127.0.0.1:0").
	// Listener, when set, is used instead: a unix socket, an in-memory
	// listener, one handed over by systemd. Run closes it on shutdown.
	Addr     string
	Listener net.Listener

	// Router serves the requests. It is required.
	Router *Router

	// TLSConfig, when set, makes the server serve HTTPS with it (tls.go):
	// Certificates, or GetCertificate to replace them without a restart
	// (autocert's Manager fits), ClientAuth and ClientCAs for mutual TLS.
	// kk serves HTTP/1.1: an "h2" in NextProtos is never advertised.
	TLSConfig *tls.Config

	// TrustedProxies are the networks of the proxies in front of the
	// server (a load balancer's subnet, 127.0.0.1/32 for a local nginx).
	// Only from a peer in them are Forwarded and X-Forwarded-For and
	// X-Forwarded-Proto believed, for Ctx.ClientIP and Ctx.Scheme
	// (proxy.go). Empty means no proxy is trusted: the client is the peer.
	TrustedProxies []netip.Prefix

	// ReadTimeout bounds reading one request, headers and body, from its
	// first byte; WriteTimeout bounds writing its response; IdleTimeout is
	// how long a keep-alive connection may wait for its next request.
	// ShutdownTimeout is how long Run waits, once shutting down, for
	// requests in flight and long-lived connections before it closes them
	// and cancels the contexts of the requests still running.
	ReadTimeout     time.Duration
	WriteTimeout    time.Duration
	IdleTimeout     time.Duration
	ShutdownTimeout time.Duration

	// MaxBodySize is the largest request body read, in bytes; past it the
	// answer is 413. MaxHeaderSize bounds the request line and headers;
	// past it the answer is 431.
	MaxBodySize   int
	MaxHeaderSize int

	// MaxConns caps the connections served at once and MaxConnsPerIP those
	// from one client IP (TCP only). A connection past either is answered
	// at once, before its request is read, with 503 (MaxConns) or 429
	// (MaxConnsPerIP), as a short text/plain body with Connection: close,
	// and closed. Zero means no limit.
	MaxConns      int
	MaxConnsPerIP int

	// Concurrency caps the requests being handled at once (not the
	// connections). A request past it is not queued: it answers 503 with a
	// problem body and Retry-After: 1 at once, before routing, so the
	// router's middleware and access log do not see it. Zero means no cap.
	Concurrency int

	// Logger receives the server's own messages: the bound address,
	// requests fasthttp rejects, what a shutdown cut off. Nil means the
	// router's logger (Router.SetLogger), else slog.Default().
	Logger *slog.Logger

	inflight    atomic.Int64    // requests in their handlers now, with a Concurrency cap (limits.go)
	active      [16]paddedCount // the same without a cap, sharded by connection
	rejected    atomic.Int64    // requests answered 503 for Concurrency
	conns       connSet         // connections open now (shutdown.go)
	fs          *fasthttp.Server
	ln          net.Listener           // what it serves on, once listening
	tls         *tls.Config            // TLSConfig as served (tls.go)
	bound       atomic.Pointer[string] // ln's address, for Stats from any goroutine
	stop        *stopping              // its shutdown: begun, deadline passed; what its requests learn of it (shutdown.go)
	serving     chan struct{}          // closed once fasthttp accepts on ln, or Serve returned
	servingOnce sync.Once
}

// ServerStats is a snapshot of a running server, for health and metrics
// endpoints.
type ServerStats struct {
	Addr        string `json:"addr"`        // the bound address, once listening
	Connections int    `json:"connections"` // connections open now
	InFlight    int    `json:"in_flight"`   // requests in their handlers now
	Rejected    int64  `json:"rejected"`    // requests answered 503 because of Concurrency
}

// Stats reports what s is doing now. It is safe to call at any time,
// from any goroutine.
func (s *Server) Stats() ServerStats {
	st := ServerStats{Connections: s.conns.len(), InFlight: int(s.inFlight()), Rejected: s.rejected.Load()}
	if a := s.bound.Load(); a != nil {
		st.Addr = *a
	}
	return st
}

// boundAddr is the address s listens on: its listener's once Run has it
// listening, else the configured Addr.
func (s *Server) boundAddr() string {
	if a := s.bound.Load(); a != nil {
		return *a
	}
	return s.Addr
}

func (s *Server) log() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	if s.Router != nil {
		return s.Router.log()
	}
	return slog.Default()
}

// fasthttp is the fasthttp.Server that serves s: every kk setting in one
// place, so that request-edge checks and streaming options are one line
// each here, before the return. h is the handler it runs (the router's,
// behind s's limits).
func (s *Server) fasthttp(h fasthttp.RequestHandler) *fasthttp.Server {
	fs := &fasthttp.Server{
		Handler:            s.proxied(h), // proxy.go
		Name:               "kk",
		ReadTimeout:        orDuration(s.ReadTimeout, DefaultReadTimeout),
		WriteTimeout:       orDuration(s.WriteTimeout, DefaultWriteTimeout),
		IdleTimeout:        orDuration(s.IdleTimeout, DefaultIdleTimeout),
		MaxRequestBodySize: orInt(s.MaxBodySize, DefaultMaxBodySize),
		ReadBufferSize:     orInt(s.MaxHeaderSize, DefaultMaxHeaderSize),
		Concurrency:        s.MaxConns, // 0 is fasthttp's own cap, 256 Ki connections
		MaxConnsPerIP:      s.MaxConnsPerIP,
		CloseOnShutdown:    true, // answers in flight at shutdown carry Connection: close
		Logger:             fasthttpLogger{s.log},
		ErrorHandler:       readError,
		ConnState:          s.conns.track,
		KeepHijackedConns:  true, // WebSockets detach from fasthttp (wsdetach.go)
	}
	s.Router.streamBodies(fs) // bodylimit.go: per-route body limits, io.Reader bodies
	return harden(fs)         // edge.go: the request checks, Expect, header size; last
}

func orDuration(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func orInt(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

// readError answers a request fasthttp could not read, before any routing:
// 413 for a body over MaxBodySize, 431 for headers over MaxHeaderSize, 408
// for a read timeout, else 400; each as a problem-details body.
func readError(rc *fasthttp.RequestCtx, err error) {
	status := fasthttp.StatusBadRequest
	var small *fasthttp.ErrSmallBuffer
	switch {
	case errors.Is(err, edge.ErrBareLF):
		err = edge.ErrBareLF // the rest is fasthttp's dump of the bytes read
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		status = fasthttp.StatusRequestEntityTooLarge
	case errors.As(err, &small):
		status = fasthttp.StatusRequestHeaderFieldsTooLarge
	case isTimeout(err):
		status = fasthttp.StatusRequestTimeout
	}
	writeRawProblem(rc, status, fmt.Errorf("reading the request: %w", err))
}

// writeRawProblem answers err as a problem at status, replacing whatever
// response rc held. It serves answers given before any routing.
func writeRawProblem(rc *fasthttp.RequestCtx, status int, err error) {
	rc.Response.Reset()
	rc.SetStatusCode(status)
	writeProblem(rc, status, err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// fasthttpLogger sends fasthttp's own messages (bad requests it rejects
// before routing, connection errors) to the server's slog logger.
type fasthttpLogger struct{ log func() *slog.Logger }

func (l fasthttpLogger) Printf(format string, args ...any) {
	l.log().Warn("fasthttp: " + fmt.Sprintf(format, args...))
}
