package bus

import (
	"context"
	"strings"

	"github.com/nats-io/nats.go"
)

// Hook follows messages across the bus, for tracing: WithHook installs
// one, and otelkk.BusHook is OpenTelemetry's (W3C trace context carried
// with each message, producer and consumer spans). Its methods take only
// standard types, so a package implementing it need not import bus (and
// link NATS).
//
// A bus without a hook does none of this: nothing is called, no header
// is made, and on NATS a message travels without headers. A hook that
// returns no fields leaves the message as bare.
type Hook interface {
	// Outgoing runs in Publish, Send and Request (op "publish", "send",
	// "request") before the message leaves, on transport "process",
	// "nats" or "jetstream". It returns the context the operation goes on
	// in, the fields the message carries to its consumer (nil or empty:
	// none; on NATS they are the message's headers), and a func, or nil,
	// that the bus calls with the operation's result once it returns (a
	// Request's once its reply is in, or not).
	Outgoing(ctx context.Context, transport, op, subject string) (context.Context, map[string]string, func(error))
	// Incoming runs in a consumer (registered on pattern) before its func
	// handles a message sent to subject, with the fields the message
	// carried (nil: none; on NATS, its headers but NATS's own Nats-*, names
	// in lower case, the first value of each). It returns the context the consumer's func
	// gets and a func, or nil, called with the func's result (its error,
	// or its panic as an error).
	Incoming(ctx context.Context, transport, pattern, subject string, fields map[string]string) (context.Context, func(error))
}

// WithHook installs h on the bus (see Hook).
func WithHook(h Hook) Option { return func(c *config) { c.hook = h } }

// outgoing runs the bus's hook for a message about to leave: m takes the
// fields to carry. Without a hook it is ctx, nil.
func (b *Bus) outgoing(ctx context.Context, op, subj string, m *message) (context.Context, func(error)) {
	if b.hook == nil {
		return ctx, nil
	}
	ctx, fields, end := b.hook.Outgoing(ctx, b.kind, op, subj)
	if len(fields) > 0 {
		m.header = fields
	}
	return ctx, end
}

// natsHeader is fields as NATS headers, or nil when there are none.
func natsHeader(fields map[string]string) nats.Header {
	if len(fields) == 0 {
		return nil
	}
	h := make(nats.Header, len(fields))
	for k, v := range fields {
		h[k] = []string{v}
	}
	return h
}

// fieldsOf is what a hook gets of a NATS message's headers: each name in
// lower case with its first value, except NATS's own (Nats-*, such as
// JetStream's Nats-Expected-Stream and Nats-Msg-Id); nil without a hook or
// other headers.
func (b *Bus) fieldsOf(h nats.Header) map[string]string {
	if b.hook == nil || len(h) == 0 {
		return nil
	}
	var fields map[string]string
	for k, v := range h {
		k = strings.ToLower(k)
		if len(v) == 0 || strings.HasPrefix(k, "nats-") {
			continue
		}
		if fields == nil {
			fields = make(map[string]string, len(h))
		}
		fields[k] = v[0]
	}
	return fields
}
