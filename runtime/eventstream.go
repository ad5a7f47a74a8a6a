package kk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kommandkit/kk/runtime/internal/sse"
)

// Event is one server-sent event. Data may hold several lines (split at
// CR, LF or CRLF, each sent as its own data: line; the client joins them
// with LF). ID and Event are single lines: a CR, LF or NUL in them makes
// Send fail. Retry, rounded to milliseconds, tells the client how long to
// wait before reconnecting; zero sends none.
type Event struct {
	ID    string
	Event string
	Data  string
	Retry time.Duration
}

// ErrStreamClosed is returned by sends on an event stream whose client has
// gone, or whose handler has returned.
var ErrStreamClosed = errors.New("kk: event stream closed")

// HeartbeatInterval is how often an event stream sends a comment line, which
// keeps idle connections open through proxies and notices clients that left
// without closing their connection.
const HeartbeatInterval = 15 * time.Second

// heartbeat is HeartbeatInterval, shortened by tests.
var heartbeat = HeartbeatInterval

// EventStream is the response of an event-stream route: text/event-stream,
// one event at a time, each written and flushed by Send. It is safe for
// use by several goroutines at once. Its context is cancelled when the
// client goes away or the server shuts down; the response ends when the
// handler returns.
type EventStream struct {
	ctx      context.Context
	cancel   context.CancelFunc
	lastID   string
	conn     net.Conn
	chunked  bool // HTTP/1.1: each write is one chunk; else the body ends at close
	timeout  time.Duration
	mu       sync.Mutex
	closed   bool // the handler returned or a write failed
	gone     atomic.Bool
	beat     *time.Timer
	router   *Router
	routeTag string // method and pattern, for logs
}

// LastEventID is the request's Last-Event-ID header: the ID of the last
// event a reconnecting client saw, or "".
func (es *EventStream) LastEventID() string { return es.lastID }

// Context is the stream's context, the one the handler receives.
func (es *EventStream) Context() context.Context { return es.ctx }

// Send writes ev and flushes it to the client. It fails with
// ErrStreamClosed once the client has gone, and for an ID or Event
// holding a line break.
func (es *EventStream) Send(ev Event) error {
	if err := sse.Check(ev.ID, ev.Event, ev.Retry); err != nil {
		return err
	}
	b := frames.Get().(*[]byte)
	defer frames.Put(b)
	*b = sse.AppendEvent((*b)[:0], ev.ID, ev.Event, ev.Data, ev.Retry)
	return es.write(*b)
}

// SendJSON sends v, encoded as JSON, as the data of an event of type
// event ("" for the default, message).
func (es *EventStream) SendJSON(event string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return es.Send(Event{Event: event, Data: string(data)})
}

// frames are the buffers events are framed in, shared by all streams so
// ten thousand idle ones hold none.
var frames = sync.Pool{New: func() any {
	b := make([]byte, 0, 512)
	return &b
}}

// write sends one framed event (or comment) as one write under a deadline.
func (es *EventStream) write(p []byte) error {
	es.mu.Lock()
	defer es.mu.Unlock()
	if es.closed || es.gone.Load() {
		return ErrStreamClosed
	}
	out := p
	var framed *[]byte
	if es.chunked {
		if len(p) >= sse.MaxChunk {
			return fmt.Errorf("kk: event of %d bytes is too large", len(p))
		}
		framed = frames.Get().(*[]byte)
		defer frames.Put(framed)
		out = sse.AppendChunk((*framed)[:0], p)
		*framed = out
	}
	if es.timeout > 0 {
		_ = es.conn.SetWriteDeadline(time.Now().Add(es.timeout))
	}
	if _, err := es.conn.Write(out); err != nil {
		es.closed = true
		es.depart()
		return fmt.Errorf("%w: %v", ErrStreamClosed, err)
	}
	return nil
}

// depart marks the client gone and cancels the handler's context.
func (es *EventStream) depart() {
	es.gone.Store(true)
	es.cancel()
}

// beatNow sends the heartbeat and schedules the next one.
func (es *EventStream) beatNow() {
	if es.write(sse.Ping) == nil {
		es.mu.Lock()
		if !es.closed {
			es.beat.Reset(heartbeat)
		}
		es.mu.Unlock()
	}
}

// finish ends the response: no more sends, the last chunk, the context
// cancelled.
func (es *EventStream) finish() {
	es.mu.Lock()
	if !es.closed {
		es.closed = true
		if es.chunked && !es.gone.Load() {
			_ = es.conn.SetWriteDeadline(time.Now().Add(time.Second))
			_, _ = es.conn.Write(sse.LastChunk)
		}
	}
	es.beat.Stop()
	es.mu.Unlock()
	es.cancel()
}
