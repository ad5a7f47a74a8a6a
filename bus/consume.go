package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"sync"
	"time"

	"github.com/kommandkit/kk/internal/subject"
)

// ConsumerOption configures one consumer.
type ConsumerOption func(*consumerConfig)

type consumerConfig struct {
	concurrency int
	mailbox     int
}

// Concurrency lets a consumer handle up to n messages at once (default 1:
// one at a time, like an actor, so its state needs no lock).
func Concurrency(n int) ConsumerOption { return func(c *consumerConfig) { c.concurrency = n } }

// Mailbox sets how many accepted messages a consumer holds before senders
// wait (default DefaultMailbox, 1024).
func Mailbox(n int) ConsumerOption { return func(c *consumerConfig) { c.mailbox = n } }

// Consume registers fn as a consumer of the subjects matching pattern: each
// published, sent or requested message is decoded from JSON into its own T
// and handed to fn. An error or panic is logged (a Request gets it back as a
// *RemoteError) and the consumer goes on.
func Consume[T any](b *Bus, pattern string, fn func(context.Context, T) error, opts ...ConsumerOption) error {
	return register(b, pattern, reflect.TypeFor[T](), func(ctx context.Context, value any, data []byte) (any, error) {
		v, err := decode[T](value, data)
		if err != nil {
			return nil, err
		}
		return nil, fn(ctx, v)
	}, opts)
}

// Reply registers fn as a consumer of the subjects matching pattern whose
// result answers a Request (JSON-encoded); for a published or sent message
// the result is dropped. Otherwise it is Consume.
func Reply[T, R any](b *Bus, pattern string, fn func(context.Context, T) (R, error), opts ...ConsumerOption) error {
	return register(b, pattern, reflect.TypeFor[T](), func(ctx context.Context, value any, data []byte) (any, error) {
		v, err := decode[T](value, data)
		if err != nil {
			return nil, err
		}
		r, err := fn(ctx, v)
		if err != nil {
			return nil, err
		}
		return r, nil
	}, opts)
}

// encodeReply is a reply's JSON, or the error a requester gets (as a
// *RemoteError) when JSON cannot carry it.
func encodeReply(v any) ([]byte, error) {
	out, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding the reply %T: %w", v, err)
	}
	return out, nil
}

// decode is the consumer's own copy of the message: the value itself when
// the sender's was a flat T (a copy already: it came out of an interface),
// else decoded from the JSON.
func decode[T any](value any, data []byte) (T, error) {
	if v, ok := value.(T); ok && data == nil {
		return v, nil
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return v, &decodeError{fmt.Errorf("decoding the message into %T: %w", v, err)}
	}
	return v, nil
}

type decodeError struct{ err error }

func (e *decodeError) Error() string { return e.err.Error() }
func (e *decodeError) Unwrap() error { return e.err }

func register(b *Bus, pattern string, t reflect.Type, h handler, opts []ConsumerOption) error {
	if err := subject.Validate(pattern, true); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidSubject, err)
	}
	cfg := consumerConfig{concurrency: 1, mailbox: DefaultMailbox}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.concurrency < 1 {
		return fmt.Errorf("bus: consumer of %s: concurrency %d must be at least 1", pattern, cfg.concurrency)
	}
	if cfg.mailbox < 1 {
		return fmt.Errorf("bus: consumer of %s: mailbox %d must be at least 1", pattern, cfg.mailbox)
	}
	c := &consumer{
		bus:     b,
		pattern: pattern,
		handle:  h,
		flat:    flat(t) != nil,
		typ:     t,
		workers: cfg.concurrency,
		mailbox: make(chan envelope, cfg.mailbox),
		quit:    make(chan struct{}),
	}
	return b.add(c)
}

// handler decodes a message (or takes the flat value) and runs the user's
// func: its result is the reply value (nil for Consume), which the
// transport encodes when it must.
type handler func(ctx context.Context, value any, data []byte) (any, error)

// envelope is one accepted message in a mailbox.
type envelope struct {
	subject  string
	value    any                    // a flat value of the consumer's own type, when data is nil
	data     []byte                 // the JSON
	deadline time.Time              // a request's deadline, or zero
	reply    func(v any, err error) // answers a request; nil otherwise
	header   map[string]string      // what the message carries for the bus's Hook, or nil
	// delivery, set by JetStream, is what MessageID and Redelivered tell
	// the consumer.
	delivery *delivery
	// done, when set, is told how handling ended (nil: handled; the
	// consumer's error or panic; errExpired): JetStream acknowledges
	// after it.
	done func(err error)
}

// errExpired is done's news that a request expired before it ran.
var errExpired = errors.New("bus: the deadline passed before the consumer ran")

// consumer is one registered func, its mailbox and its workers.
type consumer struct {
	bus     *Bus
	pattern string
	handle  handler
	typ     reflect.Type // T
	flat    bool         // T is flat: a flat T value needs no JSON
	workers int
	mailbox chan envelope
	quit    chan struct{} // closed by stop: waiting senders give up

	mu       sync.RWMutex
	stopped  bool
	inflight sync.WaitGroup // deliveries under way
	running  sync.WaitGroup // workers
}

var errFull = errors.New("bus: mailbox full")

// wait is what deliver does when the mailbox is full.
type wait int

const (
	noWait        wait = iota // return errFull at once
	waitBounded               // wait until ctx is done, or DefaultTimeout without a deadline
	waitUnbounded             // wait until there is room or the consumer stops
)

// deliver puts env in the mailbox, or says why not (errFull, ErrTimeout,
// ctx's error, ErrClosed).
func (c *consumer) deliver(ctx context.Context, env envelope, w wait) error {
	c.mu.RLock()
	if c.stopped {
		c.mu.RUnlock()
		return ErrClosed
	}
	c.inflight.Add(1)
	c.mu.RUnlock()
	defer c.inflight.Done()
	select {
	case c.mailbox <- env:
		return nil
	default:
	}
	switch w {
	case noWait:
		return errFull
	case waitBounded:
		var cancel context.CancelFunc
		ctx, cancel = withDefault(ctx)
		defer cancel()
	}
	select {
	case c.mailbox <- env:
		return nil
	case <-ctx.Done():
		return ctxErr(ctx)
	case <-c.quit:
		return ErrClosed
	}
}

func (c *consumer) start() {
	c.running.Add(c.workers)
	for range c.workers {
		go c.work()
	}
}

// stop refuses new deliveries, waits for those under way, then lets the
// workers run the mailbox to the end and waits for them.
func (c *consumer) stop() {
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		return
	}
	c.stopped = true
	c.mu.Unlock()
	close(c.quit)
	c.inflight.Wait()
	close(c.mailbox)
	c.running.Wait()
}

func (c *consumer) work() {
	defer c.running.Done()
	for env := range c.mailbox {
		c.run(env)
	}
}

// run handles one message, surviving a panic.
func (c *consumer) run(env envelope) {
	ctx := context.Background()
	if !env.deadline.IsZero() {
		if time.Now().After(env.deadline) {
			// The requester has had ErrTimeout; nobody waits for this.
			c.bus.dropExpired(c.pattern, env.subject, time.Since(env.deadline))
			if env.done != nil {
				env.done(errExpired)
			}
			return
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, env.deadline)
		defer cancel()
	}
	if env.delivery != nil {
		ctx = context.WithValue(ctx, deliveryKey{}, env.delivery)
	}
	var end func(error) // the Hook's, told how handling ended
	if h := c.bus.hook; h != nil {
		ctx, end = h.Incoming(ctx, c.bus.kind, c.pattern, env.subject, env.header)
	}
	defer func() {
		if p := recover(); p != nil {
			err := fmt.Errorf("panic: %v", p)
			if end != nil {
				end(err)
			}
			if env.reply == nil {
				c.bus.stats.failed.Add(1)
			}
			c.bus.logger().Error("bus: consumer panicked", "pattern", c.pattern, "subject", env.subject, "panic", p, "stack", string(debug.Stack()))
			if env.reply != nil {
				env.reply(nil, err)
			}
			if env.done != nil {
				env.done(err)
			}
		}
	}()
	out, err := c.handle(ctx, env.value, env.data)
	if end != nil {
		end(err)
	}
	switch {
	case env.reply != nil:
		env.reply(out, err)
	case err != nil:
		c.bus.stats.failed.Add(1)
		c.bus.logger().Error("bus: consumer failed", "pattern", c.pattern, "subject", env.subject, "err", err)
	}
	if env.done != nil {
		env.done(err)
	}
}
