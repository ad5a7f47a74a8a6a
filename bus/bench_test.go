package bus

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// The benchmarks compare the bus with hand-written equivalents, side by
// side in one run (BENCHMARKS.md, "## Event bus"):
//
//	go test ./bus -run '^$' -bench . -benchmem -count 5
//
// "chan" is a plain Go channel of the struct (no copy semantics beyond the
// value copy, no JSON); "chan+json" is the same channel carrying the JSON
// bytes each side encodes and decodes, which is what the bus's contract
// (a JSON copy per consumer) costs at the least; "nats+json" is raw nats.go
// with encoding/json.

type small struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Price int    `json:"price"`
}

var msg = small{ID: 42, Name: "tea", Price: 300}

func BenchmarkLocalSend(b *testing.B) {
	b.Run("bus", func(b *testing.B) {
		bs := New()
		var n atomic.Int64
		done := make(chan struct{})
		total := int64(b.N)
		Consume(bs, "orders.created", func(_ context.Context, m small) error {
			if n.Add(1) == total {
				close(done)
			}
			return nil
		})
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if err := bs.Send(ctx, "orders.created", msg); err != nil {
				b.Fatal(err)
			}
		}
		<-done
		b.StopTimer()
		bs.Close()
	})
	b.Run("chan", func(b *testing.B) {
		ch := make(chan small, DefaultMailbox)
		done := make(chan struct{})
		go func() {
			for range b.N {
				<-ch
			}
			close(done)
		}()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			ch <- msg
		}
		<-done
	})
	b.Run("chan+json", func(b *testing.B) {
		ch := make(chan []byte, DefaultMailbox)
		done := make(chan struct{})
		go func() {
			for range b.N {
				var m small
				if err := json.Unmarshal(<-ch, &m); err != nil {
					panic(err)
				}
			}
			close(done)
		}()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			data, err := json.Marshal(msg)
			if err != nil {
				b.Fatal(err)
			}
			ch <- data
		}
		<-done
	})
}

type chanRequest struct {
	m     small
	reply chan small
}

func BenchmarkLocalRequest(b *testing.B) {
	b.Run("bus", func(b *testing.B) {
		bs := New()
		defer bs.Close()
		Reply(bs, "quotes.get", func(_ context.Context, m small) (small, error) { m.Price++; return m, nil })
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if _, err := Request[small](ctx, bs, "quotes.get", msg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("chan", func(b *testing.B) {
		ch := make(chan chanRequest, DefaultMailbox)
		defer close(ch)
		go func() {
			for r := range ch {
				r.m.Price++
				r.reply <- r.m
			}
		}()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			reply := make(chan small, 1)
			ch <- chanRequest{msg, reply}
			<-reply
		}
	})
	b.Run("chan+json", func(b *testing.B) {
		type req struct {
			data  []byte
			reply chan []byte
		}
		ch := make(chan req, DefaultMailbox)
		defer close(ch)
		go func() {
			for r := range ch {
				var m small
				json.Unmarshal(r.data, &m)
				m.Price++
				out, _ := json.Marshal(m)
				r.reply <- out
			}
		}()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			data, _ := json.Marshal(msg)
			reply := make(chan []byte, 1)
			ch <- req{data, reply}
			var m small
			if err := json.Unmarshal(<-reply, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkNATSPublish(b *testing.B) {
	url := natsServer(b)
	b.Run("bus", func(b *testing.B) {
		bs, err := Connect(url)
		if err != nil {
			b.Fatal(err)
		}
		var n atomic.Int64
		done := make(chan struct{})
		total := int64(b.N)
		Consume(bs, "orders.created", func(_ context.Context, m small) error {
			if n.Add(1) == total {
				close(done)
			}
			return nil
		})
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if err := bs.Publish(ctx, "orders.created", msg); err != nil {
				b.Fatal(err)
			}
		}
		<-done
		b.StopTimer()
		bs.Close()
	})
	b.Run("nats+json", func(b *testing.B) {
		nc, err := nats.Connect(url)
		if err != nil {
			b.Fatal(err)
		}
		defer nc.Close()
		var n atomic.Int64
		done := make(chan struct{})
		total := int64(b.N)
		sub, _ := nc.Subscribe("orders.created", func(m *nats.Msg) {
			var v small
			if err := json.Unmarshal(m.Data, &v); err != nil {
				panic(err)
			}
			if n.Add(1) == total {
				close(done)
			}
		})
		sub.SetPendingLimits(-1, -1)
		nc.Flush()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			data, err := json.Marshal(msg)
			if err != nil {
				b.Fatal(err)
			}
			if err := nc.Publish("orders.created", data); err != nil {
				b.Fatal(err)
			}
		}
		<-done
	})
}

func BenchmarkNATSRequest(b *testing.B) {
	url := natsServer(b)
	b.Run("bus", func(b *testing.B) {
		bs, err := Connect(url)
		if err != nil {
			b.Fatal(err)
		}
		defer bs.Close()
		Reply(bs, "quotes.get", func(_ context.Context, m small) (small, error) { m.Price++; return m, nil })
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if _, err := Request[small](ctx, bs, "quotes.get", msg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("nats+json", func(b *testing.B) {
		nc, err := nats.Connect(url)
		if err != nil {
			b.Fatal(err)
		}
		defer nc.Close()
		var mu sync.Mutex // one at a time, like the bus's consumer
		nc.Subscribe("quotes.get", func(m *nats.Msg) {
			mu.Lock()
			defer mu.Unlock()
			var v small
			json.Unmarshal(m.Data, &v)
			v.Price++
			out, _ := json.Marshal(v)
			m.Respond(out)
		})
		nc.Flush()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			data, _ := json.Marshal(msg)
			r, err := nc.RequestWithContext(ctx, "quotes.get", data)
			if err != nil {
				b.Fatal(err)
			}
			var v small
			if err := json.Unmarshal(r.Data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
