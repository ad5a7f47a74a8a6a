package kktest

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/valyala/fasthttp/fasthttputil"

	kk "github.com/kommandkit/kk/runtime"
)

// URL is the base URL of every Server: requests to it, through
// Server.Client, reach the in-memory listener whatever the host.
const URL = "http://kktest"

// Server serves a router through the real server code (kk.Run: fasthttp's
// parsing, the server's limits, upgrades, the shutdown) on an in-memory
// listener instead of a socket. NewServer starts one; it is shut down when
// the test ends.
type Server struct {
	URL string // "http://kktest"

	srv *kk.Server
	ln  *fasthttputil.InmemoryListener
	tr  *transport
}

// NewServer serves r with kk's default limits until the test ends. See
// Start for a server with limits of its own.
func NewServer(t testing.TB, r *kk.Router) *Server {
	t.Helper()
	return Start(t, &kk.Server{Router: r})
}

// Start serves srv, a kk.Server with whatever limits the test needs, on an
// in-memory listener (any Addr or Listener it has is ignored) until the
// test ends. At cleanup it shuts the server down as Run does and fails the
// test if the shutdown was not clean.
func Start(t testing.TB, srv *kk.Server) *Server {
	t.Helper()
	if srv.Router == nil {
		t.Fatal("kktest: Start: the server has no Router")
	}
	ln := fasthttputil.NewInmemoryListener()
	srv.Addr, srv.Listener = "", ln
	s := &Server{URL: URL, srv: srv, ln: ln}
	s.tr = &transport{dial: ln.Dial}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- kk.Run(ctx, srv) }()
	t.Cleanup(func() {
		s.tr.close()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("kktest: server shutdown: %v", err)
			}
		case <-time.After(time.Minute):
			t.Errorf("kktest: server did not shut down within a minute")
		}
	})
	return s
}

// Client is a net/http client whose connections reach the server through
// its in-memory listener, whatever the URL's host. Like httptest's, it
// follows redirects (set CheckRedirect on it to see them instead). Its
// transport speaks HTTP/1.1 with net/http's own request writer and
// response reader, keeps connections alive and honours request contexts;
// it never asks for gzip, so a test sees Content-Encoding as the server
// sent it. All clients of a Server share it; it is closed at cleanup.
func (s *Server) Client() *http.Client { return &http.Client{Transport: s.tr} }

// Dial opens a raw connection to the server, for what net/http's client
// cannot send (malformed requests, pipelining, upgrades).
func (s *Server) Dial() (net.Conn, error) { return s.ln.Dial() }

// Stats is the underlying kk.Server's Stats.
func (s *Server) Stats() kk.ServerStats { return s.srv.Stats() }
