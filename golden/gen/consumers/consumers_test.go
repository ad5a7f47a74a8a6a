package consumers

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kommandkit/kk/bus"
)

func TestRegisterConsumers(t *testing.T) {
	Shipped.Lock()
	Shipped.IDs = nil
	Shipped.Unlock()
	for len(Audited) > 0 {
		<-Audited
	}
	b := bus.New()
	if err := RegisterConsumers(b); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	if err := b.Send(ctx, "orders.created", map[string]any{"id": 3, "items": []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(ctx, "orders.created", OrderCreated{ID: 4}); err != nil {
		t.Fatal(err)
	}
	q, err := bus.Request[QuoteReply](ctx, b, "quotes.get", QuoteRequest{Item: "tea"})
	if err != nil || q != (QuoteReply{Item: "tea", Cents: 300}) {
		t.Fatalf("Request quotes.get = %+v, %v", q, err)
	}
	_, err = bus.Request[QuoteReply](ctx, b, "quotes.get", QuoteRequest{})
	var re *bus.RemoteError
	if !errors.As(err, &re) || re.Message != ErrUnknownItem.Error() {
		t.Fatalf("Request of an unknown item = %v, want a *bus.RemoteError", err)
	}

	// concurrency=3: three slow requests finish in about one sleep.
	start := time.Now()
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if n, err := bus.Request[int](ctx, b, "slow.x.run", 100*time.Millisecond); err != nil || n != int(100*time.Millisecond) {
				t.Errorf("Request slow.x.run = %d, %v", n, err)
			}
		})
	}
	wg.Wait()
	if d := time.Since(start); d > 280*time.Millisecond {
		t.Errorf("three requests to a concurrency=3 consumer took %v", d)
	}
	if err := b.Send(ctx, "slow.run", time.Duration(0)); err != bus.ErrNoResponders {
		t.Errorf("slow.run matched slow.*.run: %v", err)
	}

	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	Shipped.Lock()
	ids := slices.Clone(Shipped.IDs)
	Shipped.Unlock()
	// The Publish reached both Ship and Audit (orders.>); the Send reached
	// exactly one of them.
	if !slices.Contains(ids, 4) {
		t.Fatalf("Ship saw %v, want the published order 4", ids)
	}
	if n := len(ids) + len(Audited); n != 3 {
		t.Fatalf("Ship saw %v and Audit %d events; want 3 in all (publish to both, send to one)", ids, len(Audited))
	}
}
