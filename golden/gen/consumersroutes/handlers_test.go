package consumersroutes

import (
	"context"
	"testing"
	"time"

	kkbus "github.com/kommandkit/kk/bus"
	"github.com/kommandkit/kk/runtime/kktest"
)

func TestRoutesAndConsumers(t *testing.T) {
	if bus == "" {
		t.Fatal("unused")
	}
	resp := kktest.Do(NewRouter(), "GET", "/ping")
	if resp.StatusCode() != 200 || string(resp.Body()) != "pong" {
		t.Fatalf("GET /ping = %d %q", resp.StatusCode(), resp.Body())
	}
	Count.Store(0)
	b := kkbus.New()
	defer b.Close()
	if err := RegisterConsumers(b); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for range 3 {
		if err := b.Send(ctx, "pings", 2); err != nil {
			t.Fatal(err)
		}
	}
	// Total is another consumer, so the sends may still be queued in
	// Pinged's mailbox when it answers: ask until they are all counted.
	deadline := time.Now().Add(5 * time.Second)
	for {
		n, err := kkbus.Request[int64](ctx, b, "pings.total", struct{}{})
		if err != nil {
			t.Fatal(err)
		}
		if n == 6 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("total = %d, want 6", n)
		}
		time.Sleep(time.Millisecond)
	}
}
