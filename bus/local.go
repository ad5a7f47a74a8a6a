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

func (l *local) publish(ctx context.Context, subj string, data []byte) error {
	for _, c := range l.match(subj) {
		// Each consumer decodes the same bytes into its own value, so
		// sharing data is safe: nothing writes to it.
		if err := c.deliver(ctx, envelope{subject: subj, data: data}, waitBounded); err != nil {
			return err
		}
	}
	return nil
}

// pick delivers env to one of cs: the first with room, starting from a
// rotating position; when all are full it waits on the one at that position.
func (l *local) pick(ctx context.Context, cs []*consumer, env envelope) error {
	if len(cs) == 0 {
		return ErrNoResponders
	}
	start := 0
	if len(cs) > 1 {
		start = int(l.next.Add(1) % uint64(len(cs)))
	}
	for i := range cs {
		err := cs[(start+i)%len(cs)].deliver(ctx, env, noWait)
		if err != errFull && err != ErrClosed {
			return err
		}
	}
	return cs[start].deliver(ctx, env, waitBounded)
}

func (l *local) send(ctx context.Context, subj string, data []byte) error {
	return l.pick(ctx, l.match(subj), envelope{subject: subj, data: data})
}

type result struct {
	out []byte
	err error
}

func (l *local) request(ctx context.Context, subj string, data []byte) ([]byte, error) {
	ctx, cancel := withDefault(ctx)
	defer cancel()
	ch := make(chan result, 1)
	env := envelope{subject: subj, data: data, reply: func(out []byte, err error) { ch <- result{out, err} }}
	env.deadline, _ = ctx.Deadline()
	if err := l.pick(ctx, l.match(subj), env); err != nil {
		return nil, err
	}
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, &RemoteError{Subject: subj, Message: r.err.Error()}
		}
		return r.out, nil
	case <-ctx.Done():
		return nil, ctxErr(ctx)
	}
}

func (l *local) drain() error { return nil }
func (l *local) close() error { return nil }
