package bus

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// A Send that reaches its consumer after the sender's deadline (it was
// held up on the way: a reconnect's buffer, a pending list) is neither
// run nor acknowledged: its sender has had ErrTimeout.
func TestNATSExpiredSendIsNotRun(t *testing.T) {
	ts := startServer(t, false)
	var logs logBuffer
	b, err := Connect(ts.url(), WithLogger(logs.logger()))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got := newCounts()
	if err := Consume(b, "work.x", got.consume); err != nil {
		t.Fatal(err)
	}
	raw, err := nats.Connect(ts.url())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	acks, err := raw.SubscribeSync(nats.NewInbox())
	if err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Second).UnixNano()
	for kind, id := range map[string]int{"send": 1, "req": 2} {
		payload := strconv.FormatInt(past, 10) + "\n" + `{"id":` + strconv.Itoa(id) + `}`
		if err := raw.PublishRequest(subjectReserved(kind)+"work.x", acks.Subject, []byte(payload)); err != nil {
			t.Fatal(err)
		}
	}
	raw.Flush()
	// A live Send behind them on the same subscription: once it is
	// handled, the expired ones have been looked at.
	sender, err := Connect(ts.url())
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()
	if err := sender.Send(ctxTimeout(t, 5*time.Second), "work.x", order{ID: 3}); err != nil {
		t.Fatal(err)
	}
	got.waitID(t, 3)
	b.Conn().Flush()
	raw.Flush()
	if got.get(1) != 0 || got.get(2) != 0 {
		t.Errorf("expired messages were run: send %d, request %d times", got.get(1), got.get(2))
	}
	if n, _, _ := acks.Pending(); n != 0 {
		t.Errorf("%d expired messages were answered", n)
	}
	if s := b.Stats(); s.Expired != 2 {
		t.Errorf("Stats().Expired = %d, want 2", s.Expired)
	}
	if !strings.Contains(logs.String(), "expired") {
		t.Errorf("the expired messages were not logged:\n%s", logs.String())
	}
}

func subjectReserved(kind string) string { return "_KK." + kind + "." }

// A consumer whose mailbox stays full makes nats.go hold its messages up
// to the pending limits, then drop them as a slow consumer: logged,
// counted, and the process's memory bounded.
func TestNATSStalledConsumerIsBoundedAndReported(t *testing.T) {
	ts := startServer(t, false)
	var logs logBuffer
	b, err := Connect(ts.url(), WithLogger(logs.logger()), WithPendingLimits(50, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	release := make(chan struct{})
	var handled atomic.Int64
	err = Consume(b, "work.x", func(context.Context, order) error {
		<-release
		handled.Add(1)
		return nil
	}, Mailbox(1))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := Connect(ts.url())
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	ctx := ctxTimeout(t, 10*time.Second)
	for i := range 500 {
		if err := pub.Publish(ctx, "work.x", order{ID: i}); err != nil {
			t.Fatal(err)
		}
	}
	pub.Conn().Flush()
	waitFor(t, "every message to reach the consumer's process", func() bool { return b.Conn().Stats().InMsgs >= 500 })
	close(release)
	b.Close()
	s := b.Stats()
	if n := handled.Load(); n > 50+1+1+1 || int64(s.Dropped)+n != 500 {
		t.Errorf("handled %d, dropped %d of 500: want at most the pending limit 50 + mailbox 1 + one in the consumer + one in the callback handled, the rest dropped", n, s.Dropped)
	}
	if !strings.Contains(logs.String(), "slow consumer") {
		t.Errorf("the slow consumer was not logged:\n%s", logs.String())
	}
}

// A bus on a caller's connection logs its faults and still calls the
// caller's handlers, which Close gives back.
func TestNATSFromConnKeepsTheCallersHandlers(t *testing.T) {
	ts := startServer(t, false)
	var theirs atomic.Int32
	nc, err := nats.Connect(ts.url(), nats.MaxReconnects(-1), nats.ReconnectWait(10*time.Millisecond),
		nats.DisconnectErrHandler(func(*nats.Conn, error) { theirs.Add(1) }),
		nats.ReconnectHandler(func(*nats.Conn) { theirs.Add(1) }))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	var logs logBuffer
	b, err := FromConn(nc, WithLogger(logs.logger()))
	if err != nil {
		t.Fatal(err)
	}
	ts.restart(0)
	waitFor(t, "the reconnect", func() bool { return b.Stats().Reconnects == 1 && theirs.Load() == 2 })
	if s := b.Stats(); s.Disconnects != 1 {
		t.Errorf("stats %+v, want one disconnect", s)
	}
	if !strings.Contains(logs.String(), "disconnected from NATS") || !strings.Contains(logs.String(), "reconnected to NATS") {
		t.Errorf("not logged:\n%s", logs.String())
	}
	b.Close()
	ts.restart(0)
	waitFor(t, "the second reconnect", func() bool { return theirs.Load() == 4 })
	if s := b.Stats(); s.Disconnects != 1 || s.Reconnects != 1 {
		t.Errorf("after Close the bus still counts the caller's connection: %+v", s)
	}
}
