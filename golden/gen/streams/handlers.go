// Package streams covers streamed request and response bodies, per-route
// body limits (//kk:bodylimit) and server-sent events (*kk.EventStream).
package streams

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// Upload counts the bytes of a body of up to 2 GiB, read as it arrives.
//
//kk:route POST /upload
//kk:bodylimit 2GiB
func Upload(body io.Reader) (string, error) {
	n, err := io.Copy(io.Discard, body)
	if err != nil {
		return "", err
	}
	return fmt.Sprint(n), nil
}

// Capped streams a body limited to 1 KiB and wraps the reader's error,
// which still answers 413.
//
//kk:route POST /capped
//kk:bodylimit 1KiB
func Capped(body io.Reader) (string, error) {
	n, err := io.Copy(io.Discard, body)
	if err != nil {
		return "", fmt.Errorf("capped: %w", err)
	}
	return fmt.Sprint(n), nil
}

// Plain streams a body under the server's limit.
//
//kk:route POST /plain
func Plain(body io.Reader) (string, error) {
	n, err := io.Copy(io.Discard, body)
	if err != nil {
		return "", err
	}
	return fmt.Sprint(n), nil
}

// Tiny reads a raw body of at most 16 bytes.
//
//kk:route POST /tiny
//kk:bodylimit 16
func Tiny(body []byte) string { return fmt.Sprintf("%d:%s", len(body), body) }

// Note is a JSON body.
type Note struct {
	Text string `json:"text"`
}

// Big takes a JSON body larger than the server's limit.
//
//kk:route POST /big
//kk:bodylimit 8MiB
func Big(n Note) int { return len(n.Text) }

// Ordinary takes a JSON body under the server's limit.
//
//kk:route POST /ordinary
func Ordinary(n Note) int { return len(n.Text) }

// Download streams size bytes of a repeating pattern, made as they are read.
//
//kk:route GET /download
func Download(size int64) io.Reader { return &pattern{left: size} }

// pattern is size bytes of "0123456789", counting what was read.
type pattern struct {
	left, off int64
}

func (p *pattern) Read(b []byte) (int, error) {
	if p.left <= 0 {
		return 0, io.EOF
	}
	n := int64(len(b))
	if n > p.left {
		n = p.left
	}
	for i := range b[:n] {
		b[i] = byte('0' + (p.off+int64(i))%10)
	}
	p.off += n
	p.left -= n
	Served.Store(p.off)
	return int(n), nil
}

// Left is told the topic of every Live stream whose context ended.
var Left = make(chan string, 64)

var feeds sync.Map // topic → chan kk.Event

// Feed is the channel of what the Live stream of topic sends after its
// greeting.
func Feed(topic string) chan kk.Event {
	ch, _ := feeds.LoadOrStore(topic, make(chan kk.Event))
	return ch.(chan kk.Event)
}

// Live greets, then sends what arrives on Feed until its context ends.
//
//kk:route GET /live/:topic
func Live(ctx context.Context, topic string, es *kk.EventStream, greeting *string) error {
	defer func() { Left <- topic }()
	hello := "hello " + topic
	if greeting != nil {
		hello = *greeting + " " + topic
	}
	if err := es.Send(kk.Event{ID: "0", Event: "hello", Data: hello}); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev := <-Feed(topic):
			if err := es.Send(ev); err != nil {
				return err
			}
		}
	}
}

// Frames sends events that exercise the framing, then returns.
//
//kk:route GET /frames
func Frames(es *kk.EventStream) error {
	events := []kk.Event{
		{Data: "one line"},
		{ID: "7", Event: "multi", Data: "first\nsecond\r\nthird\rfourth"},
		{Data: "  leading spaces\n\ntrailing blank\n"},
		{Data: ""},
		{Retry: 1500 * time.Millisecond},
		{ID: "last-seen", Data: "last event id was " + es.LastEventID()},
	}
	for _, ev := range events {
		if err := es.Send(ev); err != nil {
			return err
		}
	}
	if err := es.SendJSON("json", map[string]any{"a": 1, "text": "x\ny"}); err != nil {
		return err
	}
	for _, bad := range []kk.Event{{ID: "a\nb"}, {Event: "x\ry"}, {ID: "nul\x00"}} {
		if err := es.Send(bad); err == nil {
			return errors.New("a line break in an ID or event type was sent")
		}
	}
	return es.Send(kk.Event{Event: "end", Data: "bye"})
}

// Quiet sends one event and waits: the heartbeat keeps it alive.
//
//kk:route GET /quiet
func Quiet(ctx context.Context, es *kk.EventStream) {
	_ = es.Send(kk.Event{Data: "quiet"})
	<-ctx.Done()
	Left <- "quiet"
}

// Broken fails after one event.
//
//kk:route GET /broken
func Broken(es *kk.EventStream) error {
	_ = es.Send(kk.Event{Data: "about to fail"})
	return errors.New("broken on purpose")
}

// Panicky panics after one event.
//
//kk:route GET /panicky
func Panicky(es *kk.EventStream) {
	_ = es.Send(kk.Event{Data: "about to panic"})
	panic("panicky on purpose")
}

// Numbered takes a path parameter that must decode before the stream starts.
//
//kk:route GET /numbered/:n
func Numbered(n int, es *kk.EventStream) error {
	return es.Send(kk.Event{Data: strings.Repeat("x", n)})
}

// Served is how many bytes the last Download has produced.
var Served atomic.Int64
