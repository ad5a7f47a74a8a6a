package bus

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// jsBus connects a bus with JetStream to ts, closed at cleanup.
func jsBus(t *testing.T, ts *testServer, cfg JetStreamConfig, opts ...Option) *Bus {
	t.Helper()
	b, err := Connect(ts.url(), append([]Option{WithJetStream(cfg)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// counts records how often each order ID was handled.
type counts struct {
	mu sync.Mutex
	n  map[int]int
	ch chan int
}

func newCounts() *counts { return &counts{n: map[int]int{}, ch: make(chan int, 100000)} }

func (c *counts) consume(_ context.Context, o order) error {
	c.mu.Lock()
	c.n[o.ID]++
	c.mu.Unlock()
	c.ch <- o.ID
	return nil
}

func (c *counts) get(id int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[id]
}

// waitID waits until id has been handled.
func (c *counts) waitID(t *testing.T, id int) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for c.get(id) == 0 {
		select {
		case <-c.ch:
		case <-timeout:
			t.Fatalf("order %d was never handled", id)
		}
	}
}

// settled waits until b's durable consumers of pattern have nothing left
// to deliver or to be acknowledged.
func settled(t *testing.T, b *Bus, pattern string) {
	t.Helper()
	j := b.t.(*jsTransport)
	for _, send := range []bool{true, false} {
		waitFor(t, "the JetStream consumer to settle", func() bool {
			c, err := j.js.Consumer(context.Background(), j.cfg.Stream, j.durableName(send, pattern))
			if err != nil {
				return false
			}
			info, err := c.Info(context.Background())
			return err == nil && info.NumPending == 0 && info.NumAckPending == 0
		})
	}
}

func TestJetStreamStoresWhileTheConsumerIsDown(t *testing.T) {
	ts := startServer(t, true)
	sender := jsBus(t, ts, JetStreamConfig{})
	first := jsBus(t, ts, JetStreamConfig{})
	if err := Consume(first, "orders.created", newCounts().consume); err != nil {
		t.Fatal(err)
	}
	first.Close() // the durable consumer stays on the server
	ctx := ctxTimeout(t, 10*time.Second)
	for i := range 10 {
		if err := sender.Send(ctx, "orders.created", order{ID: i}); err != nil {
			t.Fatalf("Send %d with the consumer down: %v (want stored)", i, err)
		}
	}
	if err := sender.Publish(ctx, "orders.created", order{ID: 10}); err != nil {
		t.Fatal(err)
	}
	again := jsBus(t, ts, JetStreamConfig{})
	got := newCounts()
	if err := Consume(again, "orders.created", got.consume); err != nil {
		t.Fatal(err)
	}
	for i := range 11 {
		got.waitID(t, i)
	}
	settled(t, again, "orders.created")
	for i := range 11 {
		if n := got.get(i); n != 1 {
			t.Errorf("order %d handled %d times, want once", i, n)
		}
	}
}

func TestJetStreamMessageIDDeduplicates(t *testing.T) {
	ts := startServer(t, true)
	b := jsBus(t, ts, JetStreamConfig{})
	got := newCounts()
	if err := Consume(b, "orders.created", got.consume); err != nil {
		t.Fatal(err)
	}
	ctx := ctxTimeout(t, 10*time.Second)
	for range 3 { // a caller retrying after, say, ErrTimeout
		if err := b.Send(WithMessageID(ctx, "order-1"), "orders.created", order{ID: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(WithMessageID(ctx, "order-2"), "orders.created", order{ID: 2}); err != nil {
		t.Fatal(err)
	}
	got.waitID(t, 2)
	settled(t, b, "orders.created")
	if n := got.get(1); n != 1 {
		t.Errorf("a Send retried 3 times with one message ID was handled %d times, want once", n)
	}
}

func TestJetStreamRedeliversAFailedMessage(t *testing.T) {
	defer func(d time.Duration) { failedRetry = d }(failedRetry)
	failedRetry = 10 * time.Millisecond
	ts := startServer(t, true)
	var logs logBuffer
	b := jsBus(t, ts, JetStreamConfig{MaxDeliver: 3}, WithLogger(logs.logger()))
	var mu sync.Mutex
	tries := map[int]int{}
	done := make(chan int, 10)
	err := Consume(b, "orders.created", func(_ context.Context, o order) error {
		mu.Lock()
		tries[o.ID]++
		n := tries[o.ID]
		mu.Unlock()
		if o.ID == 1 && n == 1 || o.ID == 2 { // 1 fails once; 2 always
			return errors.New("database down")
		}
		done <- o.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxTimeout(t, 10*time.Second)
	for _, id := range []int{1, 2} {
		if err := b.Send(ctx, "orders.created", order{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	if id := <-done; id != 1 {
		t.Fatalf("handled %d, want 1", id)
	}
	settled(t, b, "orders.created")
	mu.Lock()
	defer mu.Unlock()
	if tries[1] != 2 || tries[2] != 3 {
		t.Errorf("tries: order 1 %d (want 2: failed once), order 2 %d (want MaxDeliver 3)", tries[1], tries[2])
	}
	if s := b.Stats(); s.Redelivered != 3 || s.Failed != 4 {
		t.Errorf("stats %+v: want Redelivered 3, Failed 4", s)
	}
	if !strings.Contains(logs.String(), "given up") {
		t.Errorf("giving up on order 2 was not logged:\n%s", logs.String())
	}
}

func TestJetStreamRedeliversAfterAckWait(t *testing.T) {
	ts := startServer(t, true)
	b := jsBus(t, ts, JetStreamConfig{AckWait: 300 * time.Millisecond})
	var mu sync.Mutex
	calls := 0
	second := make(chan struct{})
	err := Consume(b, "orders.created", func(_ context.Context, o order) error {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			<-second // a consumer stuck past AckWait
			return nil
		}
		close(second)
		return nil
	}, Concurrency(2))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Send(ctxTimeout(t, 5*time.Second), "orders.created", order{ID: 1}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-second:
	case <-time.After(10 * time.Second):
		t.Fatal("a message not acknowledged within AckWait was not delivered again")
	}
	if b.Stats().Redelivered != 1 {
		t.Errorf("Redelivered = %d, want 1", b.Stats().Redelivered)
	}
}

func TestJetStreamRequest(t *testing.T) {
	ts := startServer(t, true)
	a := jsBus(t, ts, JetStreamConfig{})
	b := jsBus(t, ts, JetStreamConfig{})
	err := Reply(b, "quotes.get", func(_ context.Context, o order) (quote, error) {
		if o.ID < 0 {
			return quote{}, fmt.Errorf("no quote for %d", o.ID)
		}
		return quote{Price: o.ID * 10}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxTimeout(t, 5*time.Second)
	q, err := Request[quote](ctx, a, "quotes.get", order{ID: 4})
	if err != nil || q.Price != 40 {
		t.Fatalf("Request = %+v, %v; want 40", q, err)
	}
	var re *RemoteError
	if _, err := Request[quote](ctx, a, "quotes.get", order{ID: -1}); !errors.As(err, &re) || re.Message != "no quote for -1" {
		t.Fatalf("Request of a failing consumer = %v, want a RemoteError", err)
	}
	if _, err := Request[quote](ctx, a, "quotes.none", order{}); !errors.Is(err, ErrNoResponders) {
		t.Fatalf("Request to nobody = %v, want ErrNoResponders", err)
	}
}

func TestJetStreamBoundsUnacknowledged(t *testing.T) {
	ts := startServer(t, true)
	b := jsBus(t, ts, JetStreamConfig{})
	release := make(chan struct{})
	if err := Consume(b, "orders.created", func(context.Context, order) error { <-release; return nil }, Mailbox(8)); err != nil {
		t.Fatal(err)
	}
	defer close(release)
	ctx := ctxTimeout(t, 10*time.Second)
	for i := range 100 {
		if err := b.Send(ctx, "orders.created", order{ID: i}); err != nil {
			t.Fatal(err)
		}
	}
	j := b.t.(*jsTransport)
	c, err := j.js.Consumer(ctx, j.cfg.Stream, j.durableName(true, "orders.created"))
	if err != nil {
		t.Fatal(err)
	}
	var info *jetstream.ConsumerInfo
	deadline := time.Now().Add(5 * time.Second)
	for {
		info, err = c.Info(ctx)
		if err == nil && info.NumAckPending == 8 && info.NumPending == 92 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a stalled consumer holds %d unacknowledged, %d wait in the stream (%v); want 8 and 92", info.NumAckPending, info.NumPending, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Publish reaches every instance, Send exactly one of the group, as on
// the other transports.
func TestJetStreamPublishReachesEveryInstanceSendOne(t *testing.T) {
	ts := startServer(t, true)
	sender := jsBus(t, ts, JetStreamConfig{})
	a := jsBus(t, ts, JetStreamConfig{Instance: "a"})
	b := jsBus(t, ts, JetStreamConfig{Instance: "b"})
	gotA, gotB := newCounts(), newCounts()
	if err := Consume(a, "chat.*", gotA.consume); err != nil {
		t.Fatal(err)
	}
	if err := Consume(b, "chat.*", gotB.consume); err != nil {
		t.Fatal(err)
	}
	ctx := ctxTimeout(t, 10*time.Second)
	for i := range 20 {
		if err := sender.Publish(ctx, "chat.lobby", order{ID: i}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 100; i < 120; i++ {
		if err := sender.Send(ctx, "chat.lobby", order{ID: i}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 20 {
		gotA.waitID(t, i)
		gotB.waitID(t, i)
	}
	settled(t, a, "chat.*")
	settled(t, b, "chat.*")
	for i := 100; i < 120; i++ {
		if n := gotA.get(i) + gotB.get(i); n != 1 {
			t.Errorf("Send %d handled %d times by the two instances, want once", i, n)
		}
	}
}

func TestJetStreamNeedsAServerWithJetStream(t *testing.T) {
	ts := startServer(t, false)
	b, err := Connect(ts.url(), WithJetStream(JetStreamConfig{}))
	if err == nil {
		b.Close()
		t.Fatal("WithJetStream on a server without JetStream connected; want an error")
	}
	if !strings.Contains(err.Error(), "JetStream") {
		t.Errorf("error %q does not say JetStream", err)
	}
	waitFor(t, "the connection to close", func() bool { return ts.s.NumClients() == 0 })
}
