// Package bus lets goroutines, and processes, talk by subject instead of by
// shared memory, as actors do (Vert.x's event bus is the model).
//
// One API, two transports with the same semantics: New is in process (the
// default) and Connect (or FromConn) runs on NATS when one machine is not
// enough. Subjects are NATS subjects; a consumer may use "*" (one token)
// and ">" (the rest); publishers name full subjects.
//
//   - Publish: every matching consumer, in every connected process, gets a
//     copy.
//   - Send: exactly one matching consumer of all processes gets it; Send
//     returns once that consumer has accepted it into its mailbox, or
//     ErrNoResponders when none matches.
//   - Request: like Send, then waits for the consumer's result, ErrTimeout
//     at ctx's deadline (30 s without one), or a *RemoteError carrying the
//     consumer's error message.
//
// Messages travel as JSON on both transports, so what works in process
// works on NATS, and each consumer decodes its own copy into its own type.
// A consumer (Consume, Reply; kkgen's RegisterConsumers calls them) handles
// one message at a time, like an actor, unless given Concurrency(n); each
// has a bounded mailbox (1024) and senders wait while it is full, until
// their context is done: backpressure, never silent loss. A consumer's
// error or panic is logged with slog and the consumer goes on. Close
// delivers what was already accepted to local consumers, then stops.
//
// docs/bus.md describes the mapping onto NATS (subjects, the queue group,
// inboxes, headers, no-responders).
package bus
