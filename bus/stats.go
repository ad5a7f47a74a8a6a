package bus

import (
	"sync/atomic"
	"time"
)

// Stats counts what a bus met that a caller does not see in an error: the
// faults of its connection and the messages it dropped or handled again.
// The counts only grow; a metrics package reads them with Bus.Stats.
type Stats struct {
	// Disconnects and Reconnects count the NATS connection's losses and
	// recoveries (each also logged).
	Disconnects uint64
	Reconnects  uint64
	// SlowConsumers counts nats.go's slow-consumer events: a subscription
	// went over its pending limits (WithPendingLimits) and nats.go began
	// dropping its messages.
	SlowConsumers uint64
	// Dropped counts the messages nats.go dropped over the pending limits:
	// published messages lost, and Sends and Requests whose sender gets
	// ErrTimeout.
	Dropped uint64
	// Expired counts Sends and Requests that reached a consumer after their
	// sender's deadline and were not run (the sender had ErrTimeout).
	Expired uint64
	// Failed counts consumer errors and panics on messages without a
	// requester (a Request's error goes back to the requester instead).
	Failed uint64
	// Redelivered counts JetStream messages received again: a consumer
	// process crashed, a consumer failed, or AckWait passed before the ack.
	Redelivered uint64
}

// counters is the bus's side of Stats.
type counters struct {
	disconnects, reconnects, slowConsumers, expired, failed, redelivered atomic.Uint64
}

// Stats returns the bus's counts so far.
func (b *Bus) Stats() Stats {
	s := Stats{
		Disconnects:   b.stats.disconnects.Load(),
		Reconnects:    b.stats.reconnects.Load(),
		SlowConsumers: b.stats.slowConsumers.Load(),
		Expired:       b.stats.expired.Load(),
		Failed:        b.stats.failed.Load(),
		Redelivered:   b.stats.redelivered.Load(),
	}
	if t, ok := b.t.(interface{ addStats(*Stats) }); ok {
		t.addStats(&s)
	}
	return s
}

// dropExpired counts and logs a message dropped unrun because its sender's
// deadline had passed (late by how much, when known): the sender has had
// ErrTimeout, and running it now would surprise one that retries.
func (b *Bus) dropExpired(pattern, subject string, late time.Duration) {
	n := b.stats.expired.Add(1)
	b.logger().Warn("bus: dropped an expired message unrun", "pattern", pattern, "subject", subject, "late", late, "expired", n)
}
