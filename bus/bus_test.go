package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type order struct {
	ID    int      `json:"id"`
	Items []string `json:"items"`
}

type quote struct {
	Price int `json:"price"`
}

// recorder is a consumer that keeps the subjects and orders it got.
type recorder struct {
	mu     sync.Mutex
	got    []order
	signal chan struct{}
}

func newRecorder() *recorder { return &recorder{signal: make(chan struct{}, 100000)} }

func (r *recorder) consume(_ context.Context, o order) error {
	r.mu.Lock()
	r.got = append(r.got, o)
	r.mu.Unlock()
	r.signal <- struct{}{}
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestPublishReachesEveryMatchingConsumer(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		b := open()
		patterns := []string{"orders.created", "orders.*", "orders.>", ">", "*.created", "orders.deleted", "orders.*.eu", "orders"}
		want := []bool{true, true, true, true, true, false, false, false}
		recs := make([]*recorder, len(patterns))
		for i, p := range patterns {
			recs[i] = newRecorder()
			if err := Consume(b, p, recs[i].consume); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Publish(ctxTimeout(t, 5*time.Second), "orders.created", order{ID: 7}); err != nil {
			t.Fatal(err)
		}
		// A second message that only ">" and "orders.>" match, so the test
		// knows when the first one has reached everyone it will reach.
		if err := b.Publish(ctxTimeout(t, 5*time.Second), "orders.created.eu", order{ID: 8}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the consumers of orders.created.eu", func() bool { return recs[2].count() == 2 && recs[3].count() == 2 })
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		for i, p := range patterns {
			n := 0
			for _, o := range recs[i].got {
				if o.ID == 7 {
					n++
				}
			}
			if w := map[bool]int{true: 1, false: 0}[want[i]]; n != w {
				t.Errorf("consumer of %q got orders.created %d times, want %d", p, n, w)
			}
		}
	})
}

func TestSendReachesExactlyOne(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		b := open()
		// Overlapping patterns: still exactly one consumer per message.
		recs := []*recorder{newRecorder(), newRecorder(), newRecorder(), newRecorder()}
		for i, p := range []string{"jobs.run", "jobs.run", "jobs.*", ">"} {
			if err := Consume(b, p, recs[i].consume); err != nil {
				t.Fatal(err)
			}
		}
		const n = 400
		for i := range n {
			if err := b.Send(ctxTimeout(t, 5*time.Second), "jobs.run", order{ID: i}); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		var ids []int
		for _, r := range recs {
			for _, o := range r.got {
				ids = append(ids, o.ID)
			}
		}
		slices.Sort(ids)
		if len(ids) != n || ids[0] != 0 || ids[n-1] != n-1 || len(slices.Compact(ids)) != n {
			t.Fatalf("got %d deliveries (%d distinct), want each of %d exactly once", len(ids), len(slices.Compact(slices.Clone(ids))), n)
		}
		for i, r := range recs {
			if len(r.got) == 0 {
				t.Errorf("consumer %d never got a Send out of %d", i, n)
			}
		}
	})
}

func TestSendWithoutConsumerIsNoResponders(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		b := open()
		if err := Consume(b, "other.*", newRecorder().consume); err != nil {
			t.Fatal(err)
		}
		if err := b.Send(ctxTimeout(t, 5*time.Second), "nobody.home", order{}); err != ErrNoResponders {
			t.Fatalf("Send = %v, want ErrNoResponders", err)
		}
		if _, err := Request[quote](ctxTimeout(t, 5*time.Second), b, "nobody.home", order{}); err != ErrNoResponders {
			t.Fatalf("Request = %v, want ErrNoResponders", err)
		}
		if err := b.Publish(ctxTimeout(t, 5*time.Second), "nobody.home", order{}); err != nil {
			t.Fatalf("Publish to nobody = %v, want nil", err)
		}
	})
}

func TestRequest(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		logs := &logBuffer{}
		b := open(WithLogger(logs.logger()))
		var sawDeadline atomic.Bool
		err := Reply(b, "quotes.*", func(ctx context.Context, o order) (quote, error) {
			if _, ok := ctx.Deadline(); ok {
				sawDeadline.Store(true)
			}
			switch {
			case o.ID < 0:
				return quote{}, fmt.Errorf("no price for order %d", o.ID)
			case o.ID == 999:
				panic("price engine exploded")
			case o.ID == 1000:
				time.Sleep(300 * time.Millisecond)
			}
			return quote{Price: 10 * o.ID}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		q, err := Request[quote](ctxTimeout(t, 5*time.Second), b, "quotes.get", order{ID: 4})
		if err != nil || q.Price != 40 {
			t.Fatalf("Request = %+v, %v; want {Price:40}", q, err)
		}
		if !sawDeadline.Load() {
			t.Error("the consumer's context had no deadline; want the requester's")
		}

		_, err = Request[quote](ctxTimeout(t, 5*time.Second), b, "quotes.get", order{ID: -3})
		var re *RemoteError
		if !errors.As(err, &re) || re.Message != "no price for order -3" || re.Subject != "quotes.get" {
			t.Fatalf("Request of a failing consumer = %v, want a *RemoteError with its message", err)
		}
		if strings.Contains(logs.String(), "no price") {
			t.Error("a request's error was logged; it goes back to the requester")
		}

		_, err = Request[quote](ctxTimeout(t, 5*time.Second), b, "quotes.get", order{ID: 999})
		if !errors.As(err, &re) || !strings.Contains(re.Message, "price engine exploded") {
			t.Fatalf("Request of a panicking consumer = %v, want a *RemoteError naming the panic", err)
		}
		if !strings.Contains(logs.String(), "price engine exploded") {
			t.Error("the panic was not logged")
		}

		start := time.Now()
		_, err = Request[quote](ctxTimeout(t, 50*time.Millisecond), b, "quotes.get", order{ID: 1000})
		if err != ErrTimeout || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Request past its deadline = %v, want ErrTimeout", err)
		}
		if d := time.Since(start); d > 250*time.Millisecond {
			t.Errorf("Request took %v to time out at a 50ms deadline", d)
		}

		// Still serving after the error, the panic and the timeout.
		q, err = Request[quote](ctxTimeout(t, 5*time.Second), b, "quotes.get", order{ID: 5})
		if err != nil || q.Price != 50 {
			t.Fatalf("Request after failures = %+v, %v", q, err)
		}
	})
}

func TestRequestDefaultTimeout(t *testing.T) {
	old := defaultTimeout
	defaultTimeout = 100 * time.Millisecond
	t.Cleanup(func() { defaultTimeout = old })
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		b := open()
		release := make(chan struct{})
		t.Cleanup(func() { close(release) })
		err := Reply(b, "slow", func(ctx context.Context, o order) (quote, error) {
			<-release
			return quote{}, nil
		}, Concurrency(2))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := Request[quote](context.Background(), b, "slow", order{}); err != ErrTimeout {
			t.Fatalf("Request without a deadline = %v, want ErrTimeout after the default", err)
		}
		if d := time.Since(start); d < 90*time.Millisecond || d > 2*time.Second {
			t.Errorf("timed out after %v, want about the default timeout", d)
		}
	})
}

func TestRequestToConsumeGetsZeroReply(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		b := open()
		rec := newRecorder()
		if err := Consume(b, "audit", rec.consume); err != nil {
			t.Fatal(err)
		}
		q, err := Request[quote](ctxTimeout(t, 5*time.Second), b, "audit", order{ID: 3})
		if err != nil || q != (quote{}) {
			t.Fatalf("Request = %+v, %v; want the zero value", q, err)
		}
		if rec.count() != 1 {
			t.Fatalf("the consumer ran %d times before the reply, want 1", rec.count())
		}
	})
}

func TestJSONCrossesTypes(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		b := open()
		rec := newRecorder()
		if err := Consume(b, "orders.in", rec.consume); err != nil {
			t.Fatal(err)
		}
		maps := make(chan map[string]any, 10)
		if err := Consume(b, "orders.out", func(_ context.Context, m map[string]any) error { maps <- m; return nil }); err != nil {
			t.Fatal(err)
		}
		ctx := ctxTimeout(t, 5*time.Second)
		if err := b.Publish(ctx, "orders.in", map[string]any{"id": 42, "items": []string{"tea"}, "extra": true}); err != nil {
			t.Fatal(err)
		}
		<-rec.signal
		if got := rec.got[0]; got.ID != 42 || len(got.Items) != 1 || got.Items[0] != "tea" {
			t.Fatalf("a map reached the struct consumer as %+v", got)
		}
		if err := b.Send(ctx, "orders.out", order{ID: 9, Items: []string{"a", "b"}}); err != nil {
			t.Fatal(err)
		}
		m := <-maps
		if m["id"] != float64(9) || fmt.Sprint(m["items"]) != "[a b]" {
			t.Fatalf("a struct reached the map consumer as %v", m)
		}
		// A reply of one type read as another.
		if err := Reply(b, "echo", func(_ context.Context, o order) (order, error) { return o, nil }); err != nil {
			t.Fatal(err)
		}
		r, err := Request[map[string]any](ctx, b, "echo", struct {
			ID int `json:"id"`
		}{5})
		if err != nil || r["id"] != float64(5) {
			t.Fatalf("Request across types = %v, %v", r, err)
		}
	})
}

func TestEachConsumerGetsItsOwnCopy(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		b := open()
		var mu sync.Mutex
		var seen [][]string
		var wg sync.WaitGroup
		wg.Add(3)
		for range 3 {
			err := Consume(b, "copy", func(_ context.Context, o order) error {
				defer wg.Done()
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, slices.Clone(o.Items))
				o.Items[0] = "mutated" // must not show in anyone else's copy
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		msg := order{Items: []string{"original"}}
		if err := b.Publish(ctxTimeout(t, 5*time.Second), "copy", msg); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		for _, s := range seen {
			if s[0] != "original" {
				t.Fatalf("a consumer saw %v: another consumer's change leaked", s)
			}
		}
		if msg.Items[0] != "original" {
			t.Fatal("a consumer changed the publisher's value")
		}
	})
}

func TestOneAtATimeUnlessConcurrency(t *testing.T) {
	for _, n := range []int{1, 4} {
		t.Run(fmt.Sprint("concurrency=", n), func(t *testing.T) {
			eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
				b := open()
				var now, peak atomic.Int32
				err := Consume(b, "work", func(context.Context, order) error {
					c := now.Add(1)
					for {
						p := peak.Load()
						if c <= p || peak.CompareAndSwap(p, c) {
							break
						}
					}
					time.Sleep(5 * time.Millisecond)
					now.Add(-1)
					return nil
				}, Concurrency(n))
				if err != nil {
					t.Fatal(err)
				}
				for i := range 40 {
					if err := b.Send(ctxTimeout(t, 5*time.Second), "work", order{ID: i}); err != nil {
						t.Fatal(err)
					}
				}
				b.Close()
				if p := peak.Load(); p != int32(n) {
					t.Fatalf("peak concurrency %d, want %d", p, n)
				}
			})
		})
	}
}

func TestErrorsAndPanicsAreLoggedAndSurvived(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		logs := &logBuffer{}
		b := open(WithLogger(logs.logger()))
		rec := newRecorder()
		err := Consume(b, "fragile", func(ctx context.Context, o order) error {
			switch o.ID {
			case 1:
				return errors.New("order one is cursed")
			case 2:
				panic("order two blew up")
			}
			return rec.consume(ctx, o)
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx := ctxTimeout(t, 5*time.Second)
		for _, id := range []int{1, 2, 3} {
			if err := b.Send(ctx, "fragile", order{ID: id}); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Publish(ctx, "fragile", "not an order"); err != nil {
			t.Fatal(err)
		}
		if err := b.Publish(ctx, "fragile", order{ID: 4}); err != nil {
			t.Fatal(err)
		}
		b.Close()
		if rec.count() != 2 {
			t.Fatalf("the consumer handled %d good messages after the bad ones, want 2", rec.count())
		}
		for _, want := range []string{"order one is cursed", "order two blew up", "bus: consumer panicked", "decoding the message into bus.order"} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("log lacks %q:\n%s", want, logs.String())
			}
		}
	})
}

func TestSendBackpressure(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		b := open()
		gate, entered := make(chan struct{}), make(chan struct{}, 10)
		var handled atomic.Int32
		err := Consume(b, "slow", func(context.Context, order) error {
			entered <- struct{}{}
			<-gate
			handled.Add(1)
			return nil
		}, Mailbox(2))
		if err != nil {
			t.Fatal(err)
		}
		ctx := ctxTimeout(t, 5*time.Second)
		if err := b.Send(ctx, "slow", order{ID: 0}); err != nil {
			t.Fatal(err)
		}
		<-entered // the worker holds message 0; the mailbox is empty
		for i := 1; i <= 2; i++ {
			if err := b.Send(ctx, "slow", order{ID: i}); err != nil {
				t.Fatalf("Send %d into a mailbox with room: %v", i, err)
			}
		}
		start := time.Now()
		err = b.Send(ctxTimeout(t, 100*time.Millisecond), "slow", order{ID: 3})
		if err != ErrTimeout {
			t.Fatalf("Send into a full mailbox = %v, want ErrTimeout at the deadline", err)
		}
		if d := time.Since(start); d < 90*time.Millisecond {
			t.Fatalf("Send into a full mailbox gave up after %v, before its deadline", d)
		}
		// A sender with time waits, then gets in once there is room.
		done := make(chan error, 1)
		go func() { done <- b.Send(ctx, "slow", order{ID: 4}) }()
		select {
		case err := <-done:
			t.Fatalf("Send into a full mailbox returned %v without waiting", err)
		case <-time.After(50 * time.Millisecond):
		}
		close(gate)
		if err := <-done; err != nil {
			t.Fatalf("the waiting Send = %v once there was room", err)
		}
		b.Close()
		if n := handled.Load(); n != 4 {
			t.Fatalf("handled %d messages, want the 4 accepted ones", n)
		}
	})
}

func TestLocalPublishBackpressure(t *testing.T) {
	b := New()
	defer b.Close()
	gate := make(chan struct{})
	if err := Consume(b, "slow", func(context.Context, order) error { <-gate; return nil }, Mailbox(1)); err != nil {
		t.Fatal(err)
	}
	ctx := ctxTimeout(t, 5*time.Second)
	// One in the handler (eventually), one in the mailbox; then full.
	for b.Publish(ctxTimeout(t, 20*time.Millisecond), "slow", order{}) == nil {
	}
	if err := b.Publish(ctxTimeout(t, 50*time.Millisecond), "slow", order{}); err != ErrTimeout {
		t.Fatalf("Publish into a full mailbox = %v, want ErrTimeout", err)
	}
	close(gate)
	if err := b.Publish(ctx, "slow", order{}); err != nil {
		t.Fatal(err)
	}
}

func TestNoSilentLossUnderLoad(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		b := open()
		var got atomic.Int32
		err := Consume(b, "flood.*", func(context.Context, order) error {
			if got.Add(1)%100 == 0 {
				time.Sleep(time.Millisecond) // a consumer slower than its senders
			}
			return nil
		}, Mailbox(4))
		if err != nil {
			t.Fatal(err)
		}
		const n = 3000
		ctx := ctxTimeout(t, 20*time.Second)
		var wg sync.WaitGroup
		var failed atomic.Int32
		for w := range 4 {
			wg.Go(func() {
				for i := range n / 4 {
					var err error
					if i%2 == 0 {
						err = b.Publish(ctx, "flood.pub", order{ID: w*n + i})
					} else {
						err = b.Send(ctx, "flood.send", order{ID: w*n + i})
					}
					if err != nil {
						failed.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if failed.Load() != 0 {
			t.Fatalf("%d sends failed", failed.Load())
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if got.Load() != n {
			t.Fatalf("consumed %d of %d messages", got.Load(), n)
		}
	})
}

func TestCloseDeliversWhatWasAccepted(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		b := open()
		var handled atomic.Int32
		err := Consume(b, "tasks", func(context.Context, order) error {
			time.Sleep(200 * time.Microsecond)
			handled.Add(1)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx := ctxTimeout(t, 5*time.Second)
		const n = 300
		for i := range n {
			if err := b.Send(ctx, "tasks", order{ID: i}); err != nil {
				t.Fatal(err)
			}
		}
		if handled.Load() == n {
			t.Fatal("everything was handled before Close; the test proves nothing")
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if got := handled.Load(); got != n {
			t.Fatalf("Close returned with %d of %d accepted messages handled", got, n)
		}
		if err := b.Send(ctx, "tasks", order{}); err != ErrClosed {
			t.Errorf("Send after Close = %v, want ErrClosed", err)
		}
		if err := b.Publish(ctx, "tasks", order{}); err != ErrClosed {
			t.Errorf("Publish after Close = %v, want ErrClosed", err)
		}
		if _, err := Request[quote](ctx, b, "tasks", order{}); err != ErrClosed {
			t.Errorf("Request after Close = %v, want ErrClosed", err)
		}
		if err := Consume(b, "more", newRecorder().consume); err != ErrClosed {
			t.Errorf("Consume after Close = %v, want ErrClosed", err)
		}
		if err := b.Close(); err != nil {
			t.Errorf("second Close = %v", err)
		}
	})
}

func TestSubjectsAreValidated(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		b := open()
		ctx := ctxTimeout(t, 5*time.Second)
		for _, s := range []string{"", "a.*", "a.>", "a..b", ".a", "a b", "a*"} {
			if err := b.Publish(ctx, s, 1); !errors.Is(err, ErrInvalidSubject) {
				t.Errorf("Publish(%q) = %v, want ErrInvalidSubject", s, err)
			}
			if err := b.Send(ctx, s, 1); !errors.Is(err, ErrInvalidSubject) {
				t.Errorf("Send(%q) = %v, want ErrInvalidSubject", s, err)
			}
		}
		for _, p := range []string{"", "a.>.b", "a*", "a.b>", "a..b", "_KK.x"} {
			if err := Consume(b, p, newRecorder().consume); !errors.Is(err, ErrInvalidSubject) {
				t.Errorf("Consume(%q) = %v, want ErrInvalidSubject", p, err)
			}
		}
		if err := Consume(b, "ok", newRecorder().consume, Concurrency(0)); err == nil {
			t.Error("Concurrency(0) was accepted")
		}
		if err := b.Publish(ctx, "ok", make(chan int)); err == nil {
			t.Error("publishing a chan did not fail")
		}
	})
}

// Without WithLogger the bus logs to slog.Default() as it is when a
// consumer fails, not as it was when the bus was made.
func TestDefaultLoggerAtLogTime(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		b := open()
		logs := &logBuffer{}
		old := slog.Default()
		slog.SetDefault(logs.logger())
		t.Cleanup(func() { slog.SetDefault(old) })
		if err := Consume(b, "boom", func(context.Context, order) error { return errors.New("kaboom") }); err != nil {
			t.Fatal(err)
		}
		if err := b.Send(ctxTimeout(t, 5*time.Second), "boom", order{}); err != nil {
			t.Fatal(err)
		}
		b.Close()
		if !strings.Contains(logs.String(), "kaboom") {
			t.Fatalf("slog.Default() did not get the consumer's error: %q", logs.String())
		}
	})
}
