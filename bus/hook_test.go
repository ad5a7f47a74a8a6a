package bus

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

type traceKey struct{}

// testHook carries the string under traceKey in a ctx as the field
// "trace-id", and reports what it sees.
type testHook struct {
	ends chan string       // "op subject: err" of each Outgoing's end
	in   chan incomingCall // each Incoming
	done chan error        // each Incoming's end
}

type incomingCall struct {
	transport, pattern, subject string
	fields                      map[string]string
}

func newTestHook() *testHook {
	return &testHook{ends: make(chan string, 16), in: make(chan incomingCall, 16), done: make(chan error, 16)}
}

func (h *testHook) Outgoing(ctx context.Context, transport, op, subject string) (context.Context, map[string]string, func(error)) {
	id, _ := ctx.Value(traceKey{}).(string)
	if id == "" {
		return ctx, nil, nil
	}
	return ctx, map[string]string{"trace-id": id}, func(err error) {
		h.ends <- op + " " + subject + ": " + errString(err)
	}
}

func (h *testHook) Incoming(ctx context.Context, transport, pattern, subject string, fields map[string]string) (context.Context, func(error)) {
	h.in <- incomingCall{transport, pattern, subject, fields}
	if id := fields["trace-id"]; id != "" {
		ctx = context.WithValue(ctx, traceKey{}, id)
	}
	return ctx, func(err error) { h.done <- err }
}

func errString(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// hookTransports are the three transports, each with a bus given opts.
func hookTransports() []struct {
	name, kind string
	open       func(t *testing.T, opts ...Option) *Bus
} {
	return []struct {
		name, kind string
		open       func(t *testing.T, opts ...Option) *Bus
	}{
		{"local", "process", func(t *testing.T, opts ...Option) *Bus { return transports()[0].open(t, opts...) }},
		{"nats", "nats", func(t *testing.T, opts ...Option) *Bus { return transports()[1].open(t, opts...) }},
		{"jetstream", "jetstream", func(t *testing.T, opts ...Option) *Bus {
			return jsBus(t, startServer(t, true), JetStreamConfig{}, opts...)
		}},
	}
}

// TestHookCarriesFields: what a Hook's Outgoing returns reaches its
// Incoming in the consumer, on each transport and for each operation, and
// the consumer's func runs in the context Incoming returns.
func TestHookCarriesFields(t *testing.T) {
	for _, tr := range hookTransports() {
		t.Run(tr.name, func(t *testing.T) {
			h := newTestHook()
			b := tr.open(t, WithHook(h))
			got := make(chan string, 16)
			if err := Reply(b, "orders.*", func(ctx context.Context, o order) (int, error) {
				id, _ := ctx.Value(traceKey{}).(string)
				got <- id
				if o.ID < 0 {
					return 0, errors.New("negative")
				}
				return o.ID * 2, nil
			}); err != nil {
				t.Fatal(err)
			}
			ctx := context.WithValue(context.Background(), traceKey{}, "t-1")

			if err := b.Publish(ctx, "orders.created", order{ID: 1}); err != nil {
				t.Fatal(err)
			}
			if end := recv(t, h.ends, "publish's end"); end != "publish orders.created: ok" {
				t.Errorf("publish ended %q", end)
			}
			in := recv(t, h.in, "the published message's Incoming")
			if in.transport != tr.kind || in.pattern != "orders.*" || in.subject != "orders.created" || in.fields["trace-id"] != "t-1" {
				t.Errorf("Incoming got %+v", in)
			}
			if id := recv(t, got, "the consumer"); id != "t-1" {
				t.Errorf("consumer's ctx has %q, want t-1", id)
			}
			if err := recv(t, h.done, "the consumer's end"); err != nil {
				t.Errorf("consumer ended with %v", err)
			}

			if err := b.Send(ctx, "orders.sent", order{ID: 2}); err != nil {
				t.Fatal(err)
			}
			if end := recv(t, h.ends, "send's end"); end != "send orders.sent: ok" {
				t.Errorf("send ended %q", end)
			}
			if in := recv(t, h.in, "the sent message's Incoming"); in.fields["trace-id"] != "t-1" || in.subject != "orders.sent" {
				t.Errorf("Incoming got %+v", in)
			}
			recv(t, got, "the consumer")
			recv(t, h.done, "the consumer's end")

			r, err := Request[int](ctx, b, "orders.priced", order{ID: 21})
			if err != nil || r != 42 {
				t.Fatalf("Request = %d, %v", r, err)
			}
			if end := recv(t, h.ends, "request's end"); end != "request orders.priced: ok" {
				t.Errorf("request ended %q", end)
			}
			if in := recv(t, h.in, "the request's Incoming"); in.fields["trace-id"] != "t-1" {
				t.Errorf("Incoming got %+v", in)
			}
			recv(t, got, "the consumer")
			recv(t, h.done, "the consumer's end")

			_, err = Request[int](ctx, b, "orders.priced", order{ID: -1})
			var re *RemoteError
			if !errors.As(err, &re) {
				t.Fatalf("Request err = %v, want a *RemoteError", err)
			}
			if end := recv(t, h.ends, "the failed request's end"); end != "request orders.priced: "+re.Error() {
				t.Errorf("request ended %q, want the RemoteError", end)
			}
			recv(t, h.in, "the failed request's Incoming")
			recv(t, got, "the consumer")
			if err := recv(t, h.done, "the consumer's end"); err == nil || err.Error() != "negative" {
				t.Errorf("consumer ended with %v, want its error", err)
			}

			// Outside a trace: nothing carried, Incoming sees no fields.
			if err := b.Send(context.Background(), "orders.plain", order{ID: 3}); err != nil {
				t.Fatal(err)
			}
			if in := recv(t, h.in, "the plain message's Incoming"); in.fields != nil {
				t.Errorf("a message sent outside a trace carried %v", in.fields)
			}
			if id := recv(t, got, "the consumer"); id != "" {
				t.Errorf("consumer's ctx has %q, want none", id)
			}
			recv(t, h.done, "the consumer's end")
			select {
			case end := <-h.ends:
				t.Errorf("a message outside a trace has an end: %q", end)
			default:
			}
		})
	}
}

// TestHookNoHeadersUnlessCarried: on NATS a message has headers only when
// a Hook gives it fields to carry; without a hook, or with nothing to
// carry, it travels bare (the bus's common path).
func TestHookNoHeadersUnlessCarried(t *testing.T) {
	url := natsServer(t)
	watch, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close()
	seen := make(chan *nats.Msg, 64)
	for _, s := range []string{"orders.>", "_KK.>"} {
		if _, err := watch.ChanSubscribe(s, seen); err != nil {
			t.Fatal(err)
		}
	}
	if err := watch.Flush(); err != nil {
		t.Fatal(err)
	}
	traced := context.WithValue(context.Background(), traceKey{}, "t-9")
	for _, c := range []struct {
		name    string
		opts    []Option
		ctx     context.Context
		headers bool
	}{
		{"no hook", nil, traced, false},
		{"nothing to carry", []Option{WithHook(newTestHook())}, context.Background(), false},
		{"carried", []Option{WithHook(newTestHook())}, traced, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := Connect(url, c.opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if err := Consume(b, "orders.*", func(context.Context, order) error { return nil }); err != nil {
				t.Fatal(err)
			}
			if err := b.Publish(c.ctx, "orders.published", order{ID: 1}); err != nil {
				t.Fatal(err)
			}
			if err := b.Send(c.ctx, "orders.sent", order{ID: 2}); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"orders.published", "_KK.send.orders.sent"} {
				var m *nats.Msg
				for m == nil || m.Subject != want {
					m = recv(t, seen, want)
				}
				if got := m.Header.Get("trace-id"); (got != "") != c.headers || (c.headers && got != "t-9") {
					t.Errorf("%s: trace-id header %q", want, got)
				}
				if !c.headers && m.Header != nil {
					t.Errorf("%s: headers %v on a message with nothing to carry", want, m.Header)
				}
			}
		})
	}
}

// TestHookCostsNothingInProcess: in process, a Publish with a hook and
// nothing to carry allocates no more than one without a hook.
func TestHookCostsNothingInProcess(t *testing.T) {
	type point struct{ X, Y int }
	allocs := func(opts ...Option) float64 {
		b := New(opts...)
		defer b.Close()
		done := make(chan struct{}, 1)
		if err := Consume(b, "points", func(context.Context, point) error { done <- struct{}{}; return nil }); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		return testing.AllocsPerRun(200, func() {
			if err := b.Publish(ctx, "points", point{1, 2}); err != nil {
				t.Fatal(err)
			}
			<-done
		})
	}
	without, with := allocs(), allocs(WithHook(nothingHook{}))
	if with > without {
		t.Errorf("Publish allocates %.1f times with a hook that carries nothing, %.1f without", with, without)
	}
}

// nothingHook has nothing to carry and no span to end.
type nothingHook struct{}

func (nothingHook) Outgoing(ctx context.Context, _, _, _ string) (context.Context, map[string]string, func(error)) {
	return ctx, nil, nil
}

func (nothingHook) Incoming(ctx context.Context, _, _, _ string, _ map[string]string) (context.Context, func(error)) {
	return ctx, nil
}
