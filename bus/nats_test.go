package bus

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// twoProcesses returns two buses on one embedded NATS server, standing for
// two processes.
func twoProcesses(t *testing.T) (*Bus, *Bus, string) {
	url := natsServer(t)
	var bs [2]*Bus
	for i := range bs {
		b, err := Connect(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		bs[i] = b
	}
	return bs[0], bs[1], url
}

func TestNATSSendIsHandledOnceAcrossProcesses(t *testing.T) {
	a, b, _ := twoProcesses(t)
	var onA, onB atomic.Int32
	seen := make([]atomic.Int32, 500)
	count := func(n *atomic.Int32) func(context.Context, order) error {
		return func(_ context.Context, o order) error {
			n.Add(1)
			seen[o.ID].Add(1)
			return nil
		}
	}
	// Different patterns in different processes: still one queue group.
	if err := Consume(a, "billing.charge", count(&onA)); err != nil {
		t.Fatal(err)
	}
	if err := Consume(b, "billing.*", count(&onB)); err != nil {
		t.Fatal(err)
	}
	ctx := ctxTimeout(t, 10*time.Second)
	for i := range len(seen) {
		sender := a
		if i%2 == 1 {
			sender = b
		}
		if err := sender.Send(ctx, "billing.charge", order{ID: i}); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()
	b.Close()
	for i := range seen {
		if n := seen[i].Load(); n != 1 {
			t.Fatalf("message %d handled %d times across the two processes, want once", i, n)
		}
	}
	if onA.Load() == 0 || onB.Load() == 0 {
		t.Errorf("one process took every message (a=%d, b=%d); the queue group should spread them", onA.Load(), onB.Load())
	}
}

func TestNATSPublishReachesBothProcesses(t *testing.T) {
	a, b, _ := twoProcesses(t)
	recA, recB := newRecorder(), newRecorder()
	if err := Consume(a, "chat.*", recA.consume); err != nil {
		t.Fatal(err)
	}
	if err := Consume(b, "chat.>", recB.consume); err != nil {
		t.Fatal(err)
	}
	if err := a.Publish(ctxTimeout(t, 5*time.Second), "chat.lobby", order{ID: 1}); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*recorder{recA, recB} {
		select {
		case <-r.signal:
		case <-time.After(5 * time.Second):
			t.Fatal("a process did not get the published message")
		}
	}
}

func TestNATSRequestAcrossProcesses(t *testing.T) {
	a, b, _ := twoProcesses(t)
	err := Reply(b, "quotes.get", func(_ context.Context, o order) (quote, error) {
		if o.ID == 0 {
			return quote{}, errors.New("line one\nline two: ünïcode")
		}
		return quote{Price: o.ID * 2}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	q, err := Request[quote](ctxTimeout(t, 5*time.Second), a, "quotes.get", order{ID: 21})
	if err != nil || q.Price != 42 {
		t.Fatalf("Request across processes = %+v, %v", q, err)
	}
	_, err = Request[quote](ctxTimeout(t, 5*time.Second), a, "quotes.get", order{ID: 0})
	var re *RemoteError
	if !errors.As(err, &re) || re.Message != "line one\nline two: ünïcode" {
		t.Fatalf("remote error = %#v, want the consumer's message verbatim", err)
	}
}

// A plain NATS client interoperates: its JSON publishes reach consumers,
// and it can subscribe to what the bus publishes.
func TestNATSPlainClientInterop(t *testing.T) {
	a, _, url := twoProcesses(t)
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	rec := newRecorder()
	if err := Consume(a, "events.>", rec.consume); err != nil {
		t.Fatal(err)
	}
	if err := nc.Publish("events.x", []byte(`{"id":77}`)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-rec.signal:
	case <-time.After(5 * time.Second):
		t.Fatal("a plain NATS publish did not reach the consumer")
	}
	if rec.got[0].ID != 77 {
		t.Fatalf("got %+v", rec.got[0])
	}
	sub, err := nc.SubscribeSync("events.y")
	if err != nil {
		t.Fatal(err)
	}
	nc.Flush()
	if err := a.Publish(ctxTimeout(t, 5*time.Second), "events.y", order{ID: 5}); err != nil {
		t.Fatal(err)
	}
	m, err := sub.NextMsg(5 * time.Second)
	if err != nil || !strings.Contains(string(m.Data), `"id":5`) {
		t.Fatalf("plain subscriber got %v, %v", m, err)
	}
}

// FromConn leaves the caller's connection open at Close.
func TestNATSFromConn(t *testing.T) {
	url := natsServer(t)
	nc, err := nats.Connect(url, nats.Name("mine"))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	b, err := FromConn(nc)
	if err != nil {
		t.Fatal(err)
	}
	if b.Conn() != nc {
		t.Fatal("Conn() is not the connection given")
	}
	if err := Reply(b, "ping", func(context.Context, string) (string, error) { return "pong", nil }); err != nil {
		t.Fatal(err)
	}
	if r, err := Request[string](ctxTimeout(t, 5*time.Second), b, "ping", "x"); err != nil || r != "pong" {
		t.Fatalf("Request = %q, %v", r, err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if nc.IsClosed() {
		t.Fatal("Close closed a connection the bus did not open")
	}
	if New().Conn() != nil {
		t.Fatal("an in-process bus has a NATS connection")
	}
}

// A Close in one process while the other sends: every Send the closing
// process acknowledged is handled before its Close returns.
func TestNATSCloseUnderTraffic(t *testing.T) {
	a, b, _ := twoProcesses(t)
	var handled atomic.Int32
	if err := Consume(b, "jobs", func(context.Context, order) error {
		time.Sleep(100 * time.Microsecond)
		handled.Add(1)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var acked atomic.Int32
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if a.Send(ctxTimeout(t, 2*time.Second), "jobs", order{}) == nil {
				acked.Add(1)
			}
		}
	}()
	time.Sleep(100 * time.Millisecond)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	close(stop)
	<-done
	if acked.Load() == 0 || handled.Load() != acked.Load() {
		t.Fatalf("acknowledged %d Sends, handled %d", acked.Load(), handled.Load())
	}
}
