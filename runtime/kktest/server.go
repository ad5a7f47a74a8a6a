package kktest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
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
// listener (NewServer, Start) or on a loopback socket (NewTCPServer,
// StartTCP). It is shut down when the test ends.
type Server struct {
	URL string // "http://kktest", or "http://127.0.0.1:port" over TCP

	srv  *kk.Server
	dial func() (net.Conn, error)
	tr   *transport
	stop func() error
	once sync.Once
	err  error
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
	ln := fasthttputil.NewInmemoryListener()
	return start(t, srv, ln, URL, ln.Dial)
}

// NewTCPServer serves r as NewServer does, but on a real socket, a
// listener on 127.0.0.1:0, for what only a socket shows: clients that
// dial addresses themselves (http.Get, a browser, gorilla/websocket),
// socket buffers and deadlines, the edge's connection wrapper. URL is
// "http://127.0.0.1:port".
func NewTCPServer(t testing.TB, r *kk.Router) *Server {
	t.Helper()
	return StartTCP(t, &kk.Server{Router: r})
}

// StartTCP serves srv as Start does, on a loopback socket: srv.Listener if
// the test set one (a listener of its own on 127.0.0.1, wrapped to tune
// its connections), else a new listener on 127.0.0.1:0. Any Addr is
// ignored.
func StartTCP(t testing.TB, srv *kk.Server) *Server {
	t.Helper()
	ln := srv.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatalf("kktest: StartTCP: %v", err)
		}
	}
	addr := ln.Addr().String()
	dial := func() (net.Conn, error) { return net.Dial("tcp", addr) }
	return start(t, srv, ln, "http://"+addr, dial)
}

// start serves srv on ln until the test ends; url and dial reach it.
func start(t testing.TB, srv *kk.Server, ln net.Listener, url string, dial func() (net.Conn, error)) *Server {
	t.Helper()
	if srv.Router == nil {
		ln.Close()
		t.Fatal("kktest: the server has no Router")
	}
	srv.Addr, srv.Listener = "", ln
	s := &Server{URL: url, srv: srv, dial: dial}
	s.tr = &transport{dial: dial}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- kk.Run(ctx, srv) }()
	s.stop = func() error {
		s.tr.close()
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(time.Minute):
			return errors.New("the server did not shut down within a minute")
		}
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("kktest: server shutdown: %v", err)
		}
	})
	return s
}

// Close shuts the server down as Run does (in-flight requests finish,
// streams and WebSockets are told to end) and waits for it, for a test of
// what a shutdown does; the test's cleanup calls it otherwise. The error
// is Run's; later calls return the first call's.
func (s *Server) Close() error {
	s.once.Do(func() { s.err = s.stop() })
	return s.err
}

// Client is a net/http client whose connections reach the server through
// its listener, whatever the URL's host. Like httptest's, it
// follows redirects (set CheckRedirect on it to see them instead). Its
// transport speaks HTTP/1.1 with net/http's own request writer and
// response reader, keeps connections alive and honours request contexts;
// it never asks for gzip, so a test sees Content-Encoding as the server
// sent it. All clients of a Server share it; it is closed at cleanup.
func (s *Server) Client() *http.Client { return &http.Client{Transport: s.tr} }

// Dial opens a raw connection to the server, for what net/http's client
// cannot send (malformed requests, pipelining, upgrades).
func (s *Server) Dial() (net.Conn, error) { return s.dial() }

// Stats is the underlying kk.Server's Stats.
func (s *Server) Stats() kk.ServerStats { return s.srv.Stats() }
