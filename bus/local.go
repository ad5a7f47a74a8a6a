package bus

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/kommandkit/kk/internal/subject"
)

// local is the in-process transport: it matches subjects against the
// registered consumers' patterns (as a NATS server does) and puts messages
// straight into their mailboxes.
type local struct {
	bus *Bus
	mu  sync.RWMutex
	all []*consumer
	// matches caches, per full subject, the consumers whose pattern matches
	// it; registration clears it.
	matches map[string][]*consumer
	next    atomic.Uint64 // round robin over the matches of a Send
}

func newLocal(b *Bus) *local { return &local{bus: b, matches: map[string][]*consumer{}} }

func (l *local) register(c *consumer) error {
	l.mu.Lock()
	l.all = append(l.all, c)
	clear(l.matches)
	l.mu.Unlock()
	return nil
}

// match returns the consumers matching subj.
func (l *local) match(subj string) []*consumer {
	l.mu.RLock()
	cs, ok := l.matches[subj]
	l.mu.RUnlock()
	if ok {
		return cs
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	cs = nil
	for _, c := range l.all {
		if subject.Match(c.pattern, subj) {
			cs = append(cs, c)
		}
	}
	if len(l.matches) > 4096 { // bounded: subjects may be unbounded (ids in tokens)
		clear(l.matches)
	}
	l.matches[subj] = cs
	return cs
}

func (l *local) publish(ctx context.Context, subj string, m *message) error {
	for _, c := range l.match(subj) {
		// Each consumer decodes the same bytes into its own value (or
		// copies the flat value out of the interface), so sharing them is
		// safe: nothing writes to them.
		if err := c.deliver(ctx, envelopeFor(c, subj, m), waitBounded); err != nil {
			return err
		}
	}
	return nil
}

// envelopeFor is m for consumer c: the flat value itself when c takes
// exactly its type, else the JSON.
func envelopeFor(c *consumer, subj string, m *message) envelope {
	if m.typ != nil && m.typ == c.typ && c.flat {
		return envelope{subject: subj, value: m.v, header: m.header}
	}
	return envelope{subject: subj, data: m.bytes(), header: m.header}
}

// pick delivers m (with env's reply and deadline) to one of cs: the first
// with room, starting from a rotating position; when all are full it waits
// on the one at that position.
func (l *local) pick(ctx context.Context, cs []*consumer, subj string, m *message, env envelope) error {
	if len(cs) == 0 {
		return ErrNoResponders
	}
	start := 0
	if len(cs) > 1 {
		start = int(l.next.Add(1) % uint64(len(cs)))
	}
	with := func(c *consumer) envelope {
		e := envelopeFor(c, subj, m)
		e.deadline, e.reply = env.deadline, env.reply
		return e
	}
	for i := range cs {
		c := cs[(start+i)%len(cs)]
		err := c.deliver(ctx, with(c), noWait)
		if err != errFull && err != ErrClosed {
			return err
		}
	}
	return cs[start].deliver(ctx, with(cs[start]), waitBounded)
}

func (l *local) send(ctx context.Context, subj string, m *message) error {
	return l.pick(ctx, l.match(subj), subj, m, envelope{})
}

type result struct {
	v   any
	err error
}

func (l *local) request(ctx context.Context, subj string, m *message) (any, []byte, error) {
	ctx, cancel := withDefault(ctx)
	defer cancel()
	ch := make(chan result, 1)
	env := envelope{reply: func(v any, err error) { ch <- result{v, err} }}
	env.deadline, _ = ctx.Deadline()
	if err := l.pick(ctx, l.match(subj), subj, m, env); err != nil {
		return nil, nil, err
	}
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, nil, &RemoteError{Subject: subj, Message: r.err.Error()}
		}
		return r.v, nil, nil
	case <-ctx.Done():
		return nil, nil, ctxErr(ctx)
	}
}

func (l *local) drain() error { return nil }
func (l *local) close() error { return nil }
