package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/kommandkit/kk/internal/subject"
)

// DefaultTimeout bounds every wait of Publish, Send and Request whose
// context has no deadline.
const DefaultTimeout = 30 * time.Second

// defaultTimeout is DefaultTimeout, a variable so tests can shorten it.
var defaultTimeout = DefaultTimeout

// DefaultMailbox is a consumer's mailbox size unless Mailbox says otherwise.
const DefaultMailbox = 1024

// Bus is an event bus, in process (New) or on NATS (Connect, FromConn). Its
// methods are safe for concurrent use.
type Bus struct {
	log    *slog.Logger // nil: slog.Default()
	t      transport
	hook   Hook   // nil: none (WithHook)
	kind   string // the transport, as Hook names it: "process", "nats" or "jetstream"
	closed atomic.Bool
	stats  counters

	mu        sync.Mutex
	consumers []*consumer
	closeErr  error
	closeOnce sync.Once
}

// transport is how a bus moves messages: in process or on NATS.
type transport interface {
	publish(ctx context.Context, subject string, m *message) error
	send(ctx context.Context, subject string, m *message) error
	// request returns the reply: in process the consumer's value itself
	// (data nil), on NATS its JSON (value nil).
	request(ctx context.Context, subject string, m *message) (value any, data []byte, err error)
	register(c *consumer) error
	// drain stops taking new messages for local consumers and returns once
	// everything already received is in a mailbox.
	drain() error
	// close releases the transport after the consumers have stopped.
	close() error
}

// Option configures a bus.
type Option func(*config)

type config struct {
	log     *slog.Logger
	nats    []nats.Option
	pending pendingLimits
	js      *JetStreamConfig
	hook    Hook
}

// pendingLimits bound what nats.go holds per subscription for a consumer
// whose mailbox is full.
type pendingLimits struct{ msgs, bytes int }

// DefaultPendingMsgs and DefaultPendingBytes are the pending limits of each
// of a consumer's NATS subscriptions unless WithPendingLimits says
// otherwise: with the mailbox (DefaultMailbox messages) they bound what a
// stalled consumer makes its process hold.
const (
	DefaultPendingMsgs  = 64 * 1024
	DefaultPendingBytes = 16 << 20
)

// WithPendingLimits sets how many messages, and bytes, nats.go holds for
// each of a consumer's subscriptions while its mailbox is full; beyond
// either, nats.go drops what arrives and reports a slow consumer, which the
// bus logs and counts (Stats.SlowConsumers, Stats.Dropped). -1 lifts a
// limit, which lets a stalled consumer grow its process's memory without
// bound (the fault suite measures it); 0 is an error at registration.
func WithPendingLimits(msgs, bytes int) Option {
	return func(c *config) { c.pending = pendingLimits{msgs, bytes} }
}

// WithLogger makes the bus log consumers' errors and panics to l instead of
// slog.Default().
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// WithNATS passes options to nats.Connect (name, credentials, reconnects,
// TLS, ...): Connect applies its own defaults first, then these.
func WithNATS(opts ...nats.Option) Option {
	return func(c *config) { c.nats = append(c.nats, opts...) }
}

func configure(opts []Option) config {
	c := config{pending: pendingLimits{DefaultPendingMsgs, DefaultPendingBytes}}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// logger is the bus's logger: WithLogger's, else slog.Default() at the
// time of logging (so a later slog.SetDefault applies).
func (b *Bus) logger() *slog.Logger {
	if b != nil && b.log != nil {
		return b.log
	}
	return slog.Default()
}

// New returns an in-process bus.
func New(opts ...Option) *Bus {
	c := configure(opts)
	b := &Bus{log: c.log, hook: c.hook, kind: "process"}
	b.t = newLocal(b)
	return b
}

// Publish gives every consumer matching subject, in every connected process,
// its own copy of v (encoded as JSON). In process it returns once each
// matching consumer has accepted it; on core NATS once the connection has
// taken it (at most once: lost if no consumer is connected then); on
// JetStream once the server has stored it. A full mailbox in process makes
// it wait, until ctx is done (ErrTimeout at the deadline, or after
// DefaultTimeout without one).
func (b *Bus) Publish(ctx context.Context, subj string, v any) error {
	m, err := b.prepare(subj, v)
	if err != nil {
		return err
	}
	ctx, end := b.outgoing(ctx, "publish", subj, m)
	err = b.t.publish(ctx, subj, m)
	if end != nil {
		end(err)
	}
	return err
}

// Send gives v to exactly one consumer matching subject, of all connected
// processes, and returns once it has accepted it into its mailbox (on core
// NATS: a mailbox in the consumer's process, lost if that process crashes
// before handling it; on JetStream: once the server has stored it);
// ErrNoResponders when none matches, ErrTimeout when ctx's deadline (or
// DefaultTimeout) passes first. A Send that reaches its consumer after its
// deadline is not run.
func (b *Bus) Send(ctx context.Context, subj string, v any) error {
	m, err := b.prepare(subj, v)
	if err != nil {
		return err
	}
	ctx, end := b.outgoing(ctx, "send", subj, m)
	err = b.t.send(ctx, subj, m)
	if end != nil {
		end(err)
	}
	return err
}

// Request sends req to exactly one consumer matching subject, like Send,
// then waits for its result, decoded into R. It returns ErrTimeout at ctx's
// deadline (or after DefaultTimeout without one), ErrNoResponders when no
// consumer matches, and a *RemoteError carrying the consumer's error
// message when it fails. A consumer registered with Consume (no result)
// replies with R's zero value once it has handled the message.
func Request[R any](ctx context.Context, b *Bus, subj string, req any) (R, error) {
	var r R
	m, err := b.prepare(subj, req)
	if err != nil {
		return r, err
	}
	ctx, end := b.outgoing(ctx, "request", subj, m)
	ctx, cancel := withDefault(ctx)
	defer cancel()
	value, out, err := b.t.request(ctx, subj, m)
	if end != nil {
		end(err)
	}
	if err != nil {
		return r, err
	}
	if out == nil && value != nil { // in process
		if v, ok := value.(R); ok && flatValue(reflect.TypeFor[R](), value) {
			return v, nil // a value copy is what JSON would give
		}
		if out, err = encodeReply(value); err != nil {
			return r, &RemoteError{Subject: subj, Message: err.Error()}
		}
	}
	if len(out) == 0 {
		return r, nil
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return r, fmt.Errorf("bus: decoding the reply from %s into %T: %w", subj, r, err)
	}
	return r, nil
}

// message is what is sent: the value, and its JSON once encoded. A flat
// value (fast.go) is encoded only when a consumer of another type, or NATS,
// needs the bytes.
type message struct {
	v    any
	typ  reflect.Type // v's type when v is flat and survives JSON unchanged
	data []byte       // v as JSON; nil until needed when typ is set
	// header is what the bus's Hook has the message carry (trace
	// context), or nil.
	header map[string]string
}

// bytes returns the JSON of m, encoding it the first time.
func (m *message) bytes() []byte {
	if m.data == nil {
		// A flat value that passed flatType.ok always encodes.
		m.data, _ = json.Marshal(m.v)
	}
	return m.data
}

// prepare checks the bus and the subject, and encodes v unless it is flat.
func (b *Bus) prepare(subj string, v any) (*message, error) {
	if b.closed.Load() {
		return nil, ErrClosed
	}
	if err := subject.Validate(subj, false); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidSubject, err)
	}
	m := &message{v: v}
	if t := reflect.TypeOf(v); t != nil {
		if f := flat(t); f != nil && f.ok(reflect.ValueOf(v)) {
			m.typ = t
			return m, nil
		}
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("bus: encoding a %T for %s: %w", v, subj, err)
	}
	m.data = data
	return m, nil
}

// withDefault gives ctx the DefaultTimeout when it has no deadline. The
// transports call it only when they are about to wait, so the common path
// (room in the mailbox) makes no timer.
func withDefault(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, defaultTimeout)
}

// Close stops taking new messages, delivers what local consumers had already
// accepted (each runs its mailbox to the end), then stops. Calls after
// Close return ErrClosed; Close itself may be called again and returns the
// first call's result.
func (b *Bus) Close() error {
	b.closeOnce.Do(func() {
		b.mu.Lock()
		b.closed.Store(true)
		cs := b.consumers
		b.mu.Unlock()
		err := b.t.drain()
		var wg sync.WaitGroup
		for _, c := range cs {
			wg.Go(c.stop) // each runs its mailbox to the end, all at once
		}
		wg.Wait()
		if e := b.t.close(); err == nil {
			err = e
		}
		b.closeErr = err
	})
	return b.closeErr
}

// add registers c on the bus and its transport.
func (b *Bus) add(c *consumer) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed.Load() {
		return ErrClosed
	}
	c.start()
	if err := b.t.register(c); err != nil {
		c.stop()
		return err
	}
	b.consumers = append(b.consumers, c)
	return nil
}
