package otelkk

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// BusConfig configures BusHook. The zero value uses OpenTelemetry's
// global tracer provider and propagator.
type BusConfig struct {
	TracerProvider trace.TracerProvider
	Propagators    propagation.TextMapPropagator
}

// BusTracer traces the kk event bus: give it to bus.WithHook.
//
//	b, err := bus.Connect(url, bus.WithHook(otelkk.BusHook(otelkk.BusConfig{})))
//
// A Publish, Send or Request made in a traced context (a span in ctx:
// an HTTP handler under Middleware, say) gets a span of its own,
// "publish orders.created" (kind producer; a Request's is kind client
// and lasts until its reply), and carries its W3C trace context
// (traceparent, tracestate, and baggage with the propagator that has it)
// with the message: as NATS headers on NATS and JetStream, beside the
// value in process. The consumer's func then runs in a span continuing
// it, "process orders.*" (kind consumer, named after the consumer's
// pattern, which stays few where subjects hold IDs). Attributes follow
// the messaging semantic conventions: messaging.system ("nats", or "kk"
// in process), messaging.destination.name (the subject),
// messaging.destination.template (the consumer's pattern),
// messaging.operation.type ("send" or "process") and
// messaging.operation.name ("publish", "send", "request", "process").
//
// A message sent outside any trace starts none and carries nothing: on
// NATS it has no headers, as on a bus without the hook; and a message
// that carries no trace context is handled without a span.
//
// It is in otelkk, not in package bus, so that a program that does not
// import otelkk links no OpenTelemetry; its methods use only standard
// types, so otelkk does not link NATS either.
type BusTracer struct {
	tracer trace.Tracer
	prop   propagation.TextMapPropagator
}

// BusHook returns the bus's tracing hook, for bus.WithHook.
func BusHook(cfg BusConfig) *BusTracer {
	tp, prop := cfg.TracerProvider, cfg.Propagators
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	if prop == nil {
		prop = otel.GetTextMapPropagator()
	}
	return &BusTracer{tracer: tp.Tracer(ScopeName, trace.WithSchemaURL(semconv.SchemaURL)), prop: prop}
}

// system is messaging.system for a bus transport.
func system(transport string) attribute.KeyValue {
	if transport == "process" {
		return semconv.MessagingSystemKey.String("kk")
	}
	return semconv.MessagingSystemKey.String("nats")
}

// Outgoing starts the producer span of a Publish, Send or Request made in
// a traced context and returns the trace context for the message to carry.
// It is bus.Hook's.
func (t *BusTracer) Outgoing(ctx context.Context, transport, op, subject string) (context.Context, map[string]string, func(error)) {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return ctx, nil, nil // nothing to continue: nothing to carry
	}
	kind := trace.SpanKindProducer
	if op == "request" {
		kind = trace.SpanKindClient // it waits for the reply
	}
	ctx, span := t.tracer.Start(ctx, op+" "+subject, trace.WithSpanKind(kind), trace.WithAttributes(
		system(transport),
		semconv.MessagingDestinationName(subject),
		semconv.MessagingOperationTypeSend,
		semconv.MessagingOperationName(op),
	))
	fields := propagation.MapCarrier{}
	t.prop.Inject(ctx, fields)
	return ctx, fields, func(err error) { endSpan(span, err) }
}

// Incoming starts the consumer span of a message that carries a trace
// context, as the context's child. It is bus.Hook's.
func (t *BusTracer) Incoming(ctx context.Context, transport, pattern, subject string, fields map[string]string) (context.Context, func(error)) {
	if len(fields) == 0 {
		return ctx, nil
	}
	ctx = t.prop.Extract(ctx, propagation.MapCarrier(fields))
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return ctx, nil // baggage, perhaps, but no trace to continue
	}
	ctx, span := t.tracer.Start(ctx, "process "+pattern, trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(
		system(transport),
		semconv.MessagingDestinationName(subject),
		semconv.MessagingDestinationTemplate(pattern),
		semconv.MessagingOperationTypeProcess,
		semconv.MessagingOperationName("process"),
	))
	return ctx, func(err error) { endSpan(span, err) }
}

// endSpan ends a bus span, marking it failed with err's message.
func endSpan(span trace.Span, err error) {
	if err != nil && span.IsRecording() {
		span.SetAttributes(semconv.ErrorTypeKey.String(errorType(err)))
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// errorType is error.type for a bus error: its Go type, as the
// conventions suggest for errors without a code.
func errorType(err error) string {
	type timeout interface{ Timeout() bool }
	if t, ok := err.(timeout); ok && t.Timeout() {
		return "timeout"
	}
	return fmt.Sprintf("%T", err)
}
