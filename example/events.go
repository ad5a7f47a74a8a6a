//kk:group /
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"go.opentelemetry.io/otel/trace"

	"github.com/kommandkit/kk/bus"
)

// The service's event bus. Alone it is in process (bus.New); with -nats
// URL (or $NATS_URL) it is on a NATS server, and with -nats-embed ADDR (or
// $NATS_EMBED) the process starts a nats-server on ADDR itself and joins
// it, so a second instance can join with -nats nats://ADDR and nothing has
// to be installed:
//
//	go run ./example -addr :8080 -nats-embed 127.0.0.1:4222
//	go run ./example -addr :8081 -nats nats://127.0.0.1:4222 -admin-addr off
//
// The chat's rooms fan out on chat.<room> (chat.go), so the two instances
// share rooms. Every change to a todo is published on todos.<kind>
// (TodoEvent); each process keeps the recent ones it received (Activity),
// at GET /events/todos, so a todo added on one instance shows on the other.

// processName names this process in the events it publishes.
func processName() string {
	h, _ := os.Hostname()
	return h + "/" + strconv.Itoa(os.Getpid())
}

// busFlags are the bus's command-line settings.
type busFlags struct {
	url       string // -nats: a NATS server to join
	embed     string // -nats-embed: an address to run a nats-server on
	jetstream bool   // -nats-jetstream: Publish and Send stored on JetStream
}

// addBusFlags registers -nats and -nats-embed on fs, defaulting to
// $NATS_URL and $NATS_EMBED.
func addBusFlags(fs *flag.FlagSet, getenv func(string) string) *busFlags {
	f := &busFlags{}
	fs.StringVar(&f.url, "nats", getenv("NATS_URL"), "join the NATS server at `URL` for the event bus (default: in process)")
	fs.StringVar(&f.embed, "nats-embed", getenv("NATS_EMBED"), "run a nats-server (with JetStream) on `address` (host:port) in this process and put the event bus on it")
	fs.BoolVar(&f.jetstream, "nats-jetstream", getenv("NATS_JETSTREAM") != "", "durable delivery: Publish and Send return once stored on NATS JetStream (every instance must say so)")
	return f
}

// openBus opens the bus the flags ask for: in process, on the NATS server
// at -nats, or on one it starts itself for -nats-embed, with the extra
// options (tracing). It returns the bus and the func that closes it (and
// the embedded server).
func openBus(f busFlags, logger *slog.Logger, extra ...bus.Option) (b *bus.Bus, stop func(), err error) {
	if f.url == "" && f.embed == "" {
		b = bus.New(append([]bus.Option{bus.WithLogger(logger)}, extra...)...)
		return b, func() { b.Close() }, nil
	}
	if f.url != "" && f.embed != "" {
		return nil, nil, errors.New("-nats and -nats-embed exclude each other: the embedded server is the one joined")
	}
	var ns *server.Server
	stopNATS := func() {}
	url := f.url
	if f.embed != "" {
		if ns, stopNATS, err = embedNATS(f.embed); err != nil {
			return nil, nil, err
		}
		url = ns.ClientURL()
		logger.Info("nats-server listening", "url", url, "jetstream_store", ns.StoreDir())
	}
	opts := append([]bus.Option{bus.WithLogger(logger), bus.WithNATS(
		nats.Name("kk example "+processName()),
		nats.MaxReconnects(-1),
	)}, extra...)
	if f.jetstream {
		opts = append(opts, bus.WithJetStream(bus.JetStreamConfig{}))
	}
	b, err = bus.Connect(url, opts...)
	if err != nil {
		stopNATS()
		return nil, nil, err
	}
	logger.Info("event bus on NATS", "url", url)
	return b, func() {
		if err := b.Close(); err != nil {
			logger.Error("closing the event bus", "err", err)
		}
		stopNATS()
	}, nil
}

// embedNATS starts a nats-server on addr (host:port; port 0 picks one),
// with JetStream stored in a temporary directory; stop shuts it down and
// removes the directory.
func embedNATS(addr string) (ns *server.Server, stop func(), err error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, nil, fmt.Errorf("-nats-embed %q: %w", addr, err)
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return nil, nil, fmt.Errorf("-nats-embed %q: bad port", addr)
	}
	if p == 0 {
		p = server.RANDOM_PORT
	}
	store, err := os.MkdirTemp("", "kk-example-jetstream-")
	if err != nil {
		return nil, nil, fmt.Errorf("-nats-embed: %w", err)
	}
	ns, err = server.NewServer(&server.Options{Host: host, Port: p, NoSigs: true, NoLog: true, JetStream: true, StoreDir: store})
	if err != nil {
		os.RemoveAll(store)
		return nil, nil, fmt.Errorf("-nats-embed: %w", err)
	}
	stop = func() {
		ns.Shutdown()
		ns.WaitForShutdown()
		os.RemoveAll(store)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		stop()
		return nil, nil, fmt.Errorf("-nats-embed: nats-server on %s did not start", addr)
	}
	return ns, stop, nil
}

// TodoEvent is published on todos.<Kind> for every change to a todo.
type TodoEvent struct {
	Kind    string    `json:"kind"` // created, updated
	User    UserID    `json:"user"`
	Todo    Todo      `json:"todo"`
	At      time.Time `json:"at"`
	Process string    `json:"process"` // who made the change
}

// publish tells every process about a change made by the request whose
// context is req. A bus that cannot take it within a second is logged, and
// the request still succeeds: the store has the change. Its context is its
// own, not the request's (a *kk.Ctx is recycled once the handler returns,
// and a context derived from it would outlive it); it carries only the
// request's trace (-trace), so the consumers' spans join it.
func (s *Todos) publish(req context.Context, kind string, user UserID, t Todo) {
	ctx := trace.ContextWithSpanContext(context.Background(), trace.SpanContextFromContext(req))
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	e := TodoEvent{Kind: kind, User: user, Todo: t, At: time.Now().UTC(), Process: s.Process}
	if err := s.Bus.Publish(ctx, "todos."+kind, e); err != nil {
		slog.Error("publishing a todo event", "kind", kind, "err", err)
	}
}

// Activity keeps the last todo events this process received, from
// whichever process made them.
type Activity struct {
	mu     sync.Mutex
	max    int
	events []TodoEvent
}

// NewActivity keeps the last max events.
func NewActivity(max int) *Activity { return &Activity{max: max} }

// Record keeps every todo event, one at a time like an actor.
//
//kk:consumer todos.*
func (a *Activity) Record(e TodoEvent) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.events = append(a.events, e)
	if len(a.events) > a.max {
		a.events = a.events[len(a.events)-a.max:]
	}
	return nil
}

// Recent lists the todo events this process has received, oldest first:
// its own and, on NATS, the other instances'.
//
//kk:route GET /events/todos
func (a *Activity) Recent() []TodoEvent {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]TodoEvent{}, a.events...)
}
