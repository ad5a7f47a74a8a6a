package kk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
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
	if strings.ContainsAny(ev.ID, "\r\n\x00") {
		return fmt.Errorf("kk: event ID %q holds a line break or NUL", ev.ID)
	}
	if strings.ContainsAny(ev.Event, "\r\n") {
		return fmt.Errorf("kk: event type %q holds a line break", ev.Event)
	}
	if ev.Retry < 0 {
		return fmt.Errorf("kk: negative event retry %v", ev.Retry)
	}
	b := frames.Get().(*[]byte)
	defer frames.Put(b)
	*b = appendEvent((*b)[:0], ev)
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

// appendEvent frames ev as the WHATWG EventSource parser reads it: a field
// per line, "data: " before each line of Data (the parser drops exactly one
// space after the colon, so leading spaces survive), then a blank line. An
// event with only a Retry sets the client's reconnection time without
// dispatching anything.
func appendEvent(b []byte, ev Event) []byte {
	if ev.ID != "" {
		b = append(append(append(b, "id: "...), ev.ID...), '\n')
	}
	if ev.Event != "" {
		b = append(append(append(b, "event: "...), ev.Event...), '\n')
	}
	if ev.Retry > 0 {
		b = append(b, "retry: "...)
		b = strconv.AppendInt(b, ev.Retry.Milliseconds(), 10)
		b = append(b, '\n')
	}
	if ev.Data != "" || ev.ID != "" || ev.Event != "" || ev.Retry == 0 {
		data := ev.Data
		for {
			i := strings.IndexAny(data, "\r\n")
			if i < 0 {
				b = append(append(append(b, "data: "...), data...), '\n')
				break
			}
			b = append(append(append(b, "data: "...), data[:i]...), '\n')
			if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			data = data[i+1:]
		}
	}
	return append(b, '\n')
}

// ping is the heartbeat: a comment line, which clients ignore.
var ping = []byte(": ping\n\n")

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
		if len(p) >= 1<<32 {
			return fmt.Errorf("kk: event of %d bytes is too large", len(p))
		}
		framed = frames.Get().(*[]byte)
		defer frames.Put(framed)
		out = strconv.AppendUint((*framed)[:0], uint64(len(p)), 16)
		out = append(append(append(out, "\r\n"...), p...), "\r\n"...)
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
	if es.write(ping) == nil {
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
			_, _ = es.conn.Write([]byte("0\r\n\r\n"))
		}
	}
	es.beat.Stop()
	es.mu.Unlock()
	es.cancel()
}
