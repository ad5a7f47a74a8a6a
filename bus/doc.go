// Package bus lets goroutines, and processes, talk by subject instead of by
// shared memory, as actors do (Vert.x's event bus is the model).
//
// One API, three transports with the same semantics: New is in process
// (the default), Connect (or FromConn) runs on NATS when one machine is not
// enough, and WithJetStream puts Publish and Send on NATS JetStream when
// messages must survive crashes. Subjects are NATS subjects; a consumer may
// use "*" (one token) and ">" (the rest); publishers name full subjects.
//
//   - Publish: every matching consumer, in every connected process, gets a
//     copy.
//   - Send: exactly one matching consumer of all processes gets it; Send
//     returns once that consumer has accepted it into its mailbox (on
//     JetStream: once stored), or ErrNoResponders when none matches.
//   - Request: like Send, then waits for the consumer's result, ErrTimeout
//     at ctx's deadline (30 s without one), or a *RemoteError carrying the
//     consumer's error message.
//
// What a nil error promises differs by transport: in a mailbox of this
// process; in a mailbox of some process, lost if it crashes (core NATS);
// stored and delivered at least once (JetStream). A Send or Request that
// reaches its consumer after its sender's deadline is not run.
//
// Messages travel as JSON on every transport, so what works in process
// works on NATS, and each consumer decodes its own copy into its own type.
// A consumer (Consume, Reply; kkgen's RegisterConsumers calls them) handles
// one message at a time, like an actor, unless given Concurrency(n); each
// has a bounded mailbox (1024) and senders wait while it is full, until
// their context is done: backpressure, never silent loss. On NATS, what
// waits for a full mailbox is bounded too (WithPendingLimits): beyond it
// messages are dropped and reported as a slow consumer. A consumer's error
// or panic is logged with slog and the consumer goes on. Close delivers
// what was already accepted to local consumers, then stops. Disconnects,
// reconnects, slow consumers and dropped or expired messages are logged and
// counted (Bus.Stats). WithHook lets a tracer carry its context with
// each message (otelkk.BusHook: W3C trace context, as NATS headers on
// NATS); a bus without one sends messages bare.
//
// docs/bus.md has the table of guarantees per operation and transport, and
// the mapping onto NATS and JetStream (subjects, the queue group, inboxes,
// durable consumers, acknowledgements).
package bus
