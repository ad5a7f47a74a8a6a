package bus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/kommandkit/kk/internal/subject"
)

// The mapping onto NATS (docs/bus.md explains why):
//
//   - Publish is a plain NATS publish on the subject itself; each consumer
//     has its own plain subscription on its pattern, so every consumer of
//     every process gets a copy (and any NATS client may publish JSON to it).
//   - Send goes to sendPrefix+subject and Request to requestPrefix+subject
//     as NATS requests (a reply inbox, and no-responders status from the
//     server when nobody listens). Each consumer has one queue
//     subscription on "_KK.*."+pattern, all in the one queue group
//     `queue`, so exactly one consumer of all matching patterns in all
//     processes gets each message. The payload is the sender's deadline in
//     Unix nanoseconds, a newline, then the JSON: no headers to encode and
//     parse on the common path.
//   - A Send is acknowledged with an empty reply once the message is in the
//     consumer's mailbox; a Request is answered after the consumer returns,
//     with its JSON result, or with errorHeader set and the error's message
//     as the body.
const (
	sendPrefix    = subject.Reserved + ".send."
	requestPrefix = subject.Reserved + ".req."
	anyKindPrefix = subject.Reserved + ".*."
	queue         = "kk"
	errorHeader   = "Kk-Error" // on a reply: the body is an error message
	errRefused    = "refused"
)

// Connect returns a bus on the NATS server(s) at url (comma-separated URLs,
// as nats.Connect takes). WithNATS passes nats.Options (name, credentials,
// reconnects, TLS); the bus names the connection "kk" unless those options
// say otherwise, and logs the connection's faults (watch). WithJetStream
// puts Publish and Send on JetStream (jetstream.go). Close closes the
// connection.
func Connect(url string, opts ...Option) (*Bus, error) {
	c := configure(opts)
	// The bus logs asynchronous errors itself (watch); without a handler
	// of its own nats.go would also print them to stderr.
	quiet := nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {})
	nc, err := nats.Connect(url, append([]nats.Option{nats.Name("kk"), quiet}, c.nats...)...)
	if err != nil {
		return nil, fmt.Errorf("bus: connecting to %s: %w", url, err)
	}
	b, err := fromConn(nc, c, true)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return b, nil
}

// FromConn returns a bus on an existing NATS connection, which the caller
// keeps: Close drains the bus's subscriptions but leaves nc open. The bus
// puts its fault logging in front of nc's disconnect, reconnect and error
// handlers (which it still calls) until Close.
func FromConn(nc *nats.Conn, opts ...Option) (*Bus, error) {
	if nc == nil || nc.IsClosed() {
		return nil, errors.New("bus: FromConn needs an open *nats.Conn")
	}
	return fromConn(nc, configure(opts), false)
}

func fromConn(nc *nats.Conn, c config, own bool) (*Bus, error) {
	b := &Bus{log: c.log, hook: c.hook, kind: "nats"}
	t := &natsTransport{bus: b, nc: nc, own: own, pending: c.pending}
	t.watch()
	if c.js == nil {
		b.t = t
		return b, nil
	}
	jt, err := newJetStream(t, *c.js)
	if err != nil {
		t.unwatch()
		return nil, err
	}
	b.t, b.kind = jt, "jetstream"
	return b, nil
}

// Conn returns the bus's NATS connection, or nil for an in-process bus.
func (b *Bus) Conn() *nats.Conn {
	switch t := b.t.(type) {
	case *natsTransport:
		return t.nc
	case *jsTransport:
		return t.nc
	}
	return nil
}

type natsTransport struct {
	bus     *Bus
	nc      *nats.Conn
	own     bool
	pending pendingLimits
	// the connection's handlers before watch, put back by unwatch
	prevDisconnect nats.ConnErrHandler
	prevReconnect  nats.ConnHandler
	prevError      nats.ErrHandler

	mu          sync.Mutex
	subs        []*nats.Subscription
	droppedGone uint64 // Dropped of the subscriptions drained
}

func (t *natsTransport) publish(ctx context.Context, subj string, m *message) error {
	if err := ctx.Err(); err != nil {
		return ctxErr(ctx)
	}
	var err error
	if m.header == nil {
		err = t.nc.Publish(subj, m.bytes())
	} else {
		err = t.nc.PublishMsg(&nats.Msg{Subject: subj, Data: m.bytes(), Header: natsHeader(m.header)})
	}
	if err != nil {
		return fmt.Errorf("bus: publishing to %s: %w", subj, err)
	}
	return nil
}

func (t *natsTransport) call(ctx context.Context, prefix, subj string, m *message) (*nats.Msg, error) {
	data := m.bytes()
	ctx, cancel := withDefault(ctx)
	defer cancel()
	d, _ := ctx.Deadline()
	framed := make([]byte, 0, 20+len(data))
	framed = strconv.AppendInt(framed, d.UnixNano(), 10)
	framed = append(append(framed, '\n'), data...)
	var r *nats.Msg
	var err error
	if m.header == nil {
		r, err = t.nc.RequestWithContext(ctx, prefix+subj, framed)
	} else {
		r, err = t.nc.RequestMsgWithContext(ctx, &nats.Msg{Subject: prefix + subj, Data: framed, Header: natsHeader(m.header)})
	}
	kind := strings.TrimSuffix(strings.TrimPrefix(prefix, subject.Reserved+"."), ".")
	switch {
	case err == nil:
	case errors.Is(err, nats.ErrNoResponders):
		return nil, ErrNoResponders
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrTimeout):
		return nil, ErrTimeout
	case errors.Is(err, context.Canceled):
		return nil, err
	default:
		return nil, fmt.Errorf("bus: %s to %s: %w", kind, subj, err)
	}
	if msg, failed := r.Header[errorHeader]; failed {
		if len(msg) > 0 && msg[0] == errRefused {
			return nil, fmt.Errorf("bus: %s to %s: the consumer's bus was closing", kind, subj)
		}
		return nil, &RemoteError{Subject: subj, Message: string(r.Data)}
	}
	return r, nil
}

func (t *natsTransport) send(ctx context.Context, subj string, m *message) error {
	_, err := t.call(ctx, sendPrefix, subj, m)
	return err
}

func (t *natsTransport) request(ctx context.Context, subj string, m *message) (any, []byte, error) {
	r, err := t.call(ctx, requestPrefix, subj, m)
	if err != nil {
		return nil, nil, err
	}
	if r.Data == nil {
		return nil, []byte{}, nil // no value: R's zero
	}
	return nil, r.Data, nil
}

// register subscribes c twice: plainly on its pattern for Publish, and in
// the queue group on "_KK.*."+pattern for Send and Request. It flushes, so
// once it returns the server routes to c.
func (t *natsTransport) register(c *consumer) error {
	ps, err := t.nc.Subscribe(c.pattern, func(m *nats.Msg) { t.onPublish(c, m) })
	if err != nil {
		return fmt.Errorf("bus: subscribing to %s: %w", c.pattern, err)
	}
	qs, err := t.nc.QueueSubscribe(anyKindPrefix+c.pattern, queue, func(m *nats.Msg) { t.onSend(c, m) })
	if err != nil {
		ps.Unsubscribe()
		return fmt.Errorf("bus: subscribing to %s: %w", c.pattern, err)
	}
	for _, s := range []*nats.Subscription{ps, qs} {
		// The callback waits while the mailbox is full; messages wait in
		// the client meanwhile, up to these limits: beyond them nats.go
		// drops them and reports a slow consumer (watch logs and counts it).
		if err := s.SetPendingLimits(t.pending.msgs, t.pending.bytes); err != nil {
			ps.Unsubscribe()
			qs.Unsubscribe()
			return fmt.Errorf("bus: subscribing to %s: %w", c.pattern, err)
		}
	}
	if err := t.nc.Flush(); err != nil {
		ps.Unsubscribe()
		qs.Unsubscribe()
		return fmt.Errorf("bus: subscribing to %s: %w", c.pattern, err)
	}
	t.mu.Lock()
	t.subs = append(t.subs, ps, qs)
	t.mu.Unlock()
	return nil
}

// onPublish delivers a published message, waiting while the mailbox is full
// for as long as it takes (the publisher is not waiting; dropping it would
// be a silent loss), until the consumer stops.
func (t *natsTransport) onPublish(c *consumer, m *nats.Msg) {
	if strings.HasPrefix(m.Subject, subject.Reserved+".") || strings.HasPrefix(m.Subject, "_INBOX.") {
		return // the bus's own traffic, seen by a pattern such as ">"
	}
	if err := c.deliver(context.Background(), envelope{subject: m.Subject, data: m.Data, header: t.bus.fieldsOf(m.Header)}, waitUnbounded); err != nil {
		t.bus.logger().Error("bus: dropped a published message: the consumer stopped", "pattern", c.pattern, "subject", m.Subject, "err", err)
	}
}

// onSend delivers a sent or requested message, waiting while the mailbox is
// full until the sender's deadline, and acknowledges a Send once it is in.
func (t *natsTransport) onSend(c *consumer, m *nats.Msg) {
	subj, request := strings.CutPrefix(m.Subject, requestPrefix)
	if !request {
		var send bool
		if subj, send = strings.CutPrefix(m.Subject, sendPrefix); !send {
			return // not the bus's: "_KK.*." matched some other second token
		}
	}
	nl := bytes.IndexByte(m.Data, '\n')
	ns, perr := strconv.ParseInt(string(m.Data[:max(nl, 0)]), 10, 64)
	if nl < 0 || perr != nil {
		t.bus.logger().Error("bus: dropped a malformed message", "subject", m.Subject)
		return
	}
	env := envelope{subject: subj, data: m.Data[nl+1:], header: t.bus.fieldsOf(m.Header)}
	deadline := time.Unix(0, ns)
	if time.Now().After(deadline) {
		// The sender has ErrTimeout (the message was held up: a
		// reconnect's buffer, a full pending list): running it now would
		// surprise a sender that retries on timeout.
		t.bus.dropExpired(c.pattern, m.Subject, time.Since(deadline))
		return
	}
	if request {
		env.deadline = deadline
		env.reply = func(v any, err error) {
			var out []byte
			if err == nil && v != nil {
				out, err = encodeReply(v)
			}
			t.respond(m.Reply, out, err)
		}
	}
	err := c.deliver(context.Background(), env, noWait)
	if err == errFull {
		// Wait for room until the sender gives up; only now is a timer
		// worth making.
		ctx, cancel := context.WithDeadline(context.Background(), deadline)
		err = c.deliver(ctx, env, waitBounded)
		cancel()
	}
	switch {
	case err == ErrClosed:
		t.respond(m.Reply, nil, errors.New(errRefused))
	case err != nil:
		// The deadline passed while the mailbox stayed full: the sender
		// has ErrTimeout and nobody waits for an answer.
		t.bus.dropExpired(c.pattern, m.Subject, time.Since(deadline))
	case !request:
		t.respond(m.Reply, nil, nil)
	}
}

func (t *natsTransport) respond(inbox string, out []byte, err error) {
	if inbox == "" {
		return
	}
	r := &nats.Msg{Subject: inbox, Data: out}
	if err != nil {
		r.Header = nats.Header{errorHeader: []string{"1"}}
		if err.Error() == errRefused {
			r.Header[errorHeader] = []string{errRefused}
		}
		r.Data = []byte(err.Error())
	}
	if e := t.nc.PublishMsg(r); e != nil {
		t.bus.logger().Error("bus: answering a request", "err", e)
	}
}

// drain flushes what this bus published, then drains every subscription:
// the server stops sending, and what the client already holds reaches the
// mailboxes (acknowledged as usual).
func (t *natsTransport) drain() error {
	// The subscriptions leave t.subs and their drops join droppedGone in
	// one critical section, so that Stats (addStats) never sees them in
	// neither and Dropped never goes down.
	t.mu.Lock()
	subs := t.subs
	t.subs = nil
	for _, s := range subs {
		if n, e := s.Dropped(); e == nil {
			t.droppedGone += uint64(n)
		}
	}
	t.mu.Unlock()
	err := t.nc.FlushTimeout(5 * time.Second)
	var done []<-chan nats.SubStatus
	for _, s := range subs {
		ch := s.StatusChanged(nats.SubscriptionClosed)
		if e := s.Drain(); e != nil {
			s.Unsubscribe()
			continue
		}
		done = append(done, ch)
	}
	timeout := time.After(DefaultTimeout)
	for _, ch := range done {
		select {
		case <-ch:
		case <-timeout:
			return errors.Join(err, errors.New("bus: draining NATS subscriptions timed out"))
		}
	}
	return err
}

// close flushes the last replies and closes the connection if the bus
// opened it.
func (t *natsTransport) close() error {
	err := t.nc.FlushTimeout(5 * time.Second)
	if errors.Is(err, nats.ErrConnectionClosed) {
		err = nil
	}
	if t.own {
		t.nc.Close()
	} else {
		t.unwatch()
	}
	return err
}
