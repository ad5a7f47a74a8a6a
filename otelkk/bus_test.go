package otelkk_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/kommandkit/kk/bus"
	"github.com/kommandkit/kk/otelkk"
)

// BusTracer is a bus.Hook without otelkk importing bus.
var _ bus.Hook = (*otelkk.BusTracer)(nil)

// natsServer is an embedded nats-server on a random loopback port, with
// JetStream in a temporary store when js is set, shut down at cleanup.
func natsServer(t *testing.T, js bool) string {
	t.Helper()
	opts := &server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoLog: true, NoSigs: true}
	if js {
		opts.JetStream, opts.StoreDir = true, t.TempDir()
	}
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s.ClientURL()
}

type busOrder struct {
	ID int `json:"id"`
}

// TestBusTraceContext: a Publish, Send or Request made under a span gets
// a producer (client, for Request) span, child of it; the consumer's func
// runs under a consumer span whose parent is that producer span, carried
// as W3C trace context on every transport (NATS headers on NATS and
// JetStream); a message sent outside a trace makes no span.
func TestBusTraceContext(t *testing.T) {
	for _, tr := range []struct {
		name, system string
		open         func(t *testing.T, opts ...bus.Option) *bus.Bus
	}{
		{"local", "kk", func(t *testing.T, opts ...bus.Option) *bus.Bus { return bus.New(opts...) }},
		{"nats", "nats", func(t *testing.T, opts ...bus.Option) *bus.Bus {
			b, err := bus.Connect(natsServer(t, false), opts...)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
		{"jetstream", "nats", func(t *testing.T, opts ...bus.Option) *bus.Bus {
			b, err := bus.Connect(natsServer(t, true), append(opts, bus.WithJetStream(bus.JetStreamConfig{}))...)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
	} {
		t.Run(tr.name, func(t *testing.T) {
			rec := tracetest.NewSpanRecorder()
			spans := make(ended, 16)
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec), sdktrace.WithSpanProcessor(spans))
			hook := otelkk.BusHook(otelkk.BusConfig{TracerProvider: tp, Propagators: propagation.TraceContext{}})
			b := tr.open(t, bus.WithHook(hook))
			t.Cleanup(func() { b.Close() })
			inConsumer := make(chan trace.SpanContext, 16)
			if err := bus.Reply(b, "orders.*", func(ctx context.Context, o busOrder) (int, error) {
				inConsumer <- trace.SpanContextFromContext(ctx)
				if o.ID < 0 {
					return 0, errors.New("negative")
				}
				return o.ID * 2, nil
			}); err != nil {
				t.Fatal(err)
			}
			// next two ended spans, by kind: the producer's and the consumer's
			pair := func() (producer, consumer sdktrace.ReadOnlySpan) {
				t.Helper()
				for range 2 {
					s := spans.next(t)
					if s.SpanKind() == trace.SpanKindConsumer {
						consumer = s
					} else {
						producer = s
					}
				}
				if producer == nil || consumer == nil {
					t.Fatalf("want a producer and a consumer span, got producer %v consumer %v", producer, consumer)
				}
				return producer, consumer
			}

			// Outside a trace: nothing. The traced Publish after it comes
			// to the same consumer, one at a time, so its spans are next.
			if err := b.Publish(context.Background(), "orders.untraced", busOrder{ID: 1}); err != nil {
				t.Fatal(err)
			}
			if sc := <-inConsumer; sc.IsValid() {
				t.Errorf("a message sent outside a trace ran under span %v", sc)
			}

			ctx, parent := tp.Tracer("test").Start(context.Background(), "handler")
			for _, op := range []string{"publish", "send", "request"} {
				subject := "orders." + op
				var err error
				switch op {
				case "publish":
					err = b.Publish(ctx, subject, busOrder{ID: 1})
				case "send":
					err = b.Send(ctx, subject, busOrder{ID: 2})
				case "request":
					var r int
					r, err = bus.Request[int](ctx, b, subject, busOrder{ID: 21})
					if r != 42 {
						t.Errorf("Request = %d, want 42", r)
					}
				}
				if err != nil {
					t.Fatal(err)
				}
				handled := <-inConsumer
				producer, consumer := pair()
				wantKind := trace.SpanKindProducer
				if op == "request" {
					wantKind = trace.SpanKindClient
				}
				if producer.Name() != op+" "+subject || producer.SpanKind() != wantKind {
					t.Errorf("producer span %q kind %v, want %q kind %v", producer.Name(), producer.SpanKind(), op+" "+subject, wantKind)
				}
				if producer.Parent().SpanID() != parent.SpanContext().SpanID() || producer.SpanContext().TraceID() != parent.SpanContext().TraceID() {
					t.Errorf("%s: producer span is not the caller's span's child", op)
				}
				if consumer.Name() != "process orders.*" {
					t.Errorf("consumer span %q, want %q", consumer.Name(), "process orders.*")
				}
				if !consumer.Parent().IsRemote() || consumer.Parent().SpanID() != producer.SpanContext().SpanID() ||
					consumer.SpanContext().TraceID() != producer.SpanContext().TraceID() {
					t.Errorf("%s: consumer span's parent %v, want the producer span %v, remote", op, consumer.Parent(), producer.SpanContext())
				}
				if !handled.Equal(consumer.SpanContext()) {
					t.Errorf("%s: the consumer's func ran under %v, not its span %v", op, handled, consumer.SpanContext())
				}
				if op == "request" && producer.EndTime().Before(consumer.EndTime()) {
					t.Errorf("the request's span ended before its consumer's: it must wait for the reply")
				}
				wantAttrs(t, producer, map[string]string{
					"messaging.system": tr.system, "messaging.destination.name": subject,
					"messaging.operation.type": "send", "messaging.operation.name": op,
				})
				wantAttrs(t, consumer, map[string]string{
					"messaging.system": tr.system, "messaging.destination.name": subject,
					"messaging.destination.template": "orders.*",
					"messaging.operation.type":       "process", "messaging.operation.name": "process",
				})
			}

			// A failed Request: both spans say so.
			_, err := bus.Request[int](ctx, b, "orders.request", busOrder{ID: -1})
			if err == nil {
				t.Fatal("Request of a failing consumer succeeded")
			}
			<-inConsumer
			producer, consumer := pair()
			if producer.Status().Code != codes.Error || consumer.Status().Code != codes.Error || consumer.Status().Description != "negative" {
				t.Errorf("failed request: producer status %v, consumer status %v", producer.Status(), consumer.Status())
			}
			parent.End()
			spans.next(t)
			if n := len(rec.Ended()); n != 9 {
				t.Errorf("the recorder has %d spans, want 9 (4 pairs and the caller's)", n)
			}
		})
	}
}

// wantAttrs checks that s has the attributes of want, with those values.
func wantAttrs(t *testing.T, s sdktrace.ReadOnlySpan, want map[string]string) {
	t.Helper()
	got := map[attribute.Key]string{}
	for _, a := range s.Attributes() {
		got[a.Key] = a.Value.String()
	}
	for k, v := range want {
		if got[attribute.Key(k)] != v {
			t.Errorf("span %q: %s = %q, want %q", s.Name(), k, got[attribute.Key(k)], v)
		}
	}
}
