package bus

import (
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// testServer is an embedded nats-server on 127.0.0.1 that a test can
// restart on the same port (and, with JetStream, the same store).
type testServer struct {
	t    testing.TB
	opts server.Options
	s    *server.Server
}

// startServer starts a nats-server on a random loopback port, with
// JetStream in a temporary store when js is set, shut down at cleanup.
func startServer(t testing.TB, js bool) *testServer {
	t.Helper()
	ts := &testServer{t: t, opts: server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoLog: true, NoSigs: true}}
	if js {
		ts.opts.JetStream = true
		ts.opts.StoreDir = t.TempDir()
	}
	ts.start()
	ts.opts.Port = ts.s.Addr().(*net.TCPAddr).Port // a restart comes back on it
	t.Cleanup(ts.stop)
	return ts
}

func (ts *testServer) start() {
	ts.t.Helper()
	opts := ts.opts
	s, err := server.NewServer(&opts)
	if err != nil {
		ts.t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		ts.t.Fatal("nats-server did not start")
	}
	ts.s = s
}

func (ts *testServer) stop() {
	if ts.s != nil {
		ts.s.Shutdown()
		ts.s.WaitForShutdown()
		ts.s = nil
	}
}

// restart stops the server, leaves it down for down, and starts it again.
func (ts *testServer) restart(down time.Duration) {
	ts.t.Helper()
	ts.stop()
	time.Sleep(down) // the outage itself is what is under test
	ts.start()
}

func (ts *testServer) url() string { return ts.s.ClientURL() }
