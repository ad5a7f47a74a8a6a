package bus

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// The paired benchmarks run the bus and its hand-written equivalents in
// alternating batches inside one benchmark, so load from elsewhere on the
// machine falls on both alike, and report each one's ns/op and the ratios
// (bus/chan, bus/chan+json, bus/nats+json) as metrics:
//
//	go test ./bus -run '^$' -bench Paired -benchtime 20x -count 5

// batch runs n operations and returns once they have all completed.
type batch func(n int)

// paired times each batch alternately, b.N rounds of size ops, and reports
// ns/op per name and bus's ratio to each other.
func paired(b *testing.B, size int, names []string, batches []batch) {
	total := make([]time.Duration, len(batches))
	cpu := make([]time.Duration, len(batches))
	for _, f := range batches { // warm up
		f(size)
	}
	b.ResetTimer()
	for i := range b.N {
		for j := range batches {
			k := (i + j) % len(batches) // rotate who goes first
			start, startCPU := time.Now(), cpuTime()
			batches[k](size)
			total[k] += time.Since(start)
			cpu[k] += cpuTime() - startCPU
		}
	}
	b.StopTimer()
	ops := float64(b.N * size)
	for j, name := range names {
		b.ReportMetric(float64(total[j].Nanoseconds())/ops, name+"-ns/op")
		b.ReportMetric(float64(cpu[j].Nanoseconds())/ops, name+"-cpu-ns/op")
		if j > 0 {
			b.ReportMetric(float64(total[0])/float64(total[j]), "bus/"+name)
			b.ReportMetric(float64(cpu[0])/float64(cpu[j]), "cpu-bus/"+name)
		}
	}
	b.ReportMetric(0, "ns/op")
}

// cpuTime is the process's user and system CPU time so far: what the
// batches cost, less sensitive than wall time to other processes' load.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// counter is a consumer count and a way to wait for it to reach a target.
type counter struct {
	n      atomic.Int64
	target atomic.Int64
	done   chan struct{}
}

func newCounter() *counter { return &counter{done: make(chan struct{}, 1)} }

func (c *counter) hit() {
	if c.n.Add(1) == c.target.Load() {
		c.done <- struct{}{}
	}
}

// expect arms the counter for n more hits; wait blocks until they came.
func (c *counter) expect(n int) { c.target.Store(c.n.Load() + int64(n)) }
func (c *counter) wait()        { <-c.done }

func busSendBatch(b *testing.B, bs *Bus, publish bool) batch {
	c := newCounter()
	if err := Consume(bs, "orders.created", func(_ context.Context, m small) error { c.hit(); return nil }); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	return func(n int) {
		c.expect(n)
		for range n {
			var err error
			if publish {
				err = bs.Publish(ctx, "orders.created", msg)
			} else {
				err = bs.Send(ctx, "orders.created", msg)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		c.wait()
	}
}

func chanSendBatch(b *testing.B) batch {
	ch := make(chan small, DefaultMailbox)
	c := newCounter()
	go func() {
		for range ch {
			c.hit()
		}
	}()
	b.Cleanup(func() { close(ch) })
	return func(n int) {
		c.expect(n)
		for range n {
			ch <- msg
		}
		c.wait()
	}
}

func chanJSONSendBatch(b *testing.B) batch {
	ch := make(chan []byte, DefaultMailbox)
	c := newCounter()
	go func() {
		for data := range ch {
			var m small
			if err := json.Unmarshal(data, &m); err != nil {
				panic(err)
			}
			c.hit()
		}
	}()
	b.Cleanup(func() { close(ch) })
	return func(n int) {
		c.expect(n)
		for range n {
			data, err := json.Marshal(msg)
			if err != nil {
				b.Fatal(err)
			}
			ch <- data
		}
		c.wait()
	}
}

func BenchmarkPairedLocalSend(b *testing.B) {
	bs := New()
	defer bs.Close()
	paired(b, 1000, []string{"bus", "chan", "chan+json"}, []batch{busSendBatch(b, bs, false), chanSendBatch(b), chanJSONSendBatch(b)})
}

func busRequestBatch(b *testing.B, bs *Bus) batch {
	if err := Reply(bs, "quotes.get", func(_ context.Context, m small) (small, error) { m.Price++; return m, nil }); err != nil {
		b.Fatal(err)
	}
	return func(n int) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for range n {
			if _, err := Request[small](ctx, bs, "quotes.get", msg); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func chanRequestBatch(b *testing.B) batch {
	ch := make(chan chanRequest, DefaultMailbox)
	b.Cleanup(func() { close(ch) })
	go func() {
		for r := range ch {
			r.m.Price++
			r.reply <- r.m
		}
	}()
	return func(n int) {
		for range n {
			reply := make(chan small, 1)
			ch <- chanRequest{msg, reply}
			<-reply
		}
	}
}

func chanJSONRequestBatch(b *testing.B) batch {
	type req struct {
		data  []byte
		reply chan []byte
	}
	ch := make(chan req, DefaultMailbox)
	b.Cleanup(func() { close(ch) })
	go func() {
		for r := range ch {
			var m small
			json.Unmarshal(r.data, &m)
			m.Price++
			out, _ := json.Marshal(m)
			r.reply <- out
		}
	}()
	return func(n int) {
		for range n {
			data, _ := json.Marshal(msg)
			reply := make(chan []byte, 1)
			ch <- req{data, reply}
			var m small
			if err := json.Unmarshal(<-reply, &m); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkPairedLocalRequest(b *testing.B) {
	bs := New()
	defer bs.Close()
	paired(b, 500, []string{"bus", "chan", "chan+json"}, []batch{busRequestBatch(b, bs), chanRequestBatch(b), chanJSONRequestBatch(b)})
}

func natsConn(b *testing.B, url string) *nats.Conn {
	nc, err := nats.Connect(url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(nc.Close)
	return nc
}

func natsPublishBatch(b *testing.B, nc *nats.Conn) batch {
	c := newCounter()
	sub, err := nc.Subscribe("orders.created", func(m *nats.Msg) {
		var v small
		if err := json.Unmarshal(m.Data, &v); err != nil {
			panic(err)
		}
		c.hit()
	})
	if err != nil {
		b.Fatal(err)
	}
	sub.SetPendingLimits(-1, -1)
	nc.Flush()
	return func(n int) {
		c.expect(n)
		for range n {
			data, err := json.Marshal(msg)
			if err != nil {
				b.Fatal(err)
			}
			if err := nc.Publish("orders.created", data); err != nil {
				b.Fatal(err)
			}
		}
		c.wait()
	}
}

func BenchmarkPairedNATSPublish(b *testing.B) {
	url := natsServer(b)
	bs, err := Connect(url)
	if err != nil {
		b.Fatal(err)
	}
	defer bs.Close()
	raw := natsConn(b, url) // its own connection, like the bus's
	paired(b, 2000, []string{"bus", "nats+json"}, []batch{busSendBatch(b, bs, true), natsPublishBatch(b, raw)})
}

func natsRequestBatch(b *testing.B, nc *nats.Conn) batch {
	var mu sync.Mutex // one at a time, like the bus's consumer
	if _, err := nc.Subscribe("raw.quotes.get", func(m *nats.Msg) {
		mu.Lock()
		defer mu.Unlock()
		var v small
		json.Unmarshal(m.Data, &v)
		v.Price++
		out, _ := json.Marshal(v)
		m.Respond(out)
	}); err != nil {
		b.Fatal(err)
	}
	nc.Flush()
	return func(n int) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for range n {
			data, _ := json.Marshal(msg)
			r, err := nc.RequestWithContext(ctx, "raw.quotes.get", data)
			if err != nil {
				b.Fatal(err)
			}
			var v small
			if err := json.Unmarshal(r.Data, &v); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkPairedNATSRequest(b *testing.B) {
	url := natsServer(b)
	bs, err := Connect(url)
	if err != nil {
		b.Fatal(err)
	}
	defer bs.Close()
	paired(b, 200, []string{"bus", "nats+json"}, []batch{busRequestBatch(b, bs), natsRequestBatch(b, natsConn(b, url))})
}

// BenchmarkPairedJetStream is the cost of durable delivery: Sends (each
// returning once stored, handled and acknowledged) on a JetStream bus
// against core NATS Sends (each returning once in the consumer's mailbox),
// both on one nats-server with JetStream (file storage). "bus/core" is
// JetStream's time over core NATS's.
//
//	go test ./bus -run '^$' -bench PairedJetStream -benchtime 10x -count 3
func BenchmarkPairedJetStream(b *testing.B) {
	ts := startServer(b, true)
	core, err := Connect(ts.url())
	if err != nil {
		b.Fatal(err)
	}
	defer core.Close()
	durable, err := Connect(ts.url(), WithJetStream(JetStreamConfig{}))
	if err != nil {
		b.Fatal(err)
	}
	defer durable.Close()
	paired(b, 500, []string{"jetstream", "core"}, []batch{busSendBatch(b, durable, false), busSendBatch(b, core, false)})
}
