//kk:group /
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// The live feed: every change to a todo list, as server-sent events.
//
//	curl -N localhost:8080/api/v1/todos/events
//	open http://localhost:8080/feed
//
// Each event's type is the change (todo.added, todo.updated,
// todo.deleted), its data the Change as JSON and its ID the feed's epoch
// and the change's sequence number ("lq3x9c1a-7"), so a client that
// reconnects (EventSource does by itself) with Last-Event-ID gets what it
// missed, as far as the feed still remembers. The epoch is the time the
// process started its feed: IDs never repeat across restarts, and a
// Last-Event-ID from another process (or none, or one that does not
// parse) gets every change this process remembers, so a restart neither
// hides new changes behind old IDs nor sends any twice.

// Change is one change to a user's todo list.
type Change struct {
	Seq  uint64 `json:"seq"`
	Kind string `json:"kind"` // todo.added, todo.updated, todo.deleted
	User UserID `json:"user"`
	Todo Todo   `json:"todo"` // for todo.deleted, only its ID
}

// changeFeed fans changes out to subscribers and remembers the last
// feedMemory of them for clients that reconnect.
type changeFeed struct {
	epoch  string // this feed's start, base 36 nanoseconds: the event IDs' prefix
	mu     sync.Mutex
	seq    uint64
	recent []Change
	subs   map[chan Change]struct{}
}

func newChangeFeed(start time.Time) *changeFeed {
	return &changeFeed{epoch: strconv.FormatInt(start.UnixNano(), 36), subs: map[chan Change]struct{}{}}
}

// eventID is the event ID of change seq: unique across restarts.
func (f *changeFeed) eventID(seq uint64) string {
	return f.epoch + "-" + strconv.FormatUint(seq, 10)
}

// after is the sequence number a client that last saw lastID resumes
// after: the number in an ID of this feed, else 0 (everything remembered).
func (f *changeFeed) after(lastID string) uint64 {
	epoch, seq, ok := strings.Cut(lastID, "-")
	if !ok || epoch != f.epoch {
		return 0
	}
	n, err := strconv.ParseUint(seq, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

const (
	feedMemory = 256
	subBuffer  = 64 // a subscriber this far behind is dropped; it reconnects
)

var errBehind = errors.New("feed subscriber fell behind")

// publish numbers c and hands it to every subscriber without waiting.
func (f *changeFeed) publish(kind string, user UserID, t Todo) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	c := Change{Seq: f.seq, Kind: kind, User: user, Todo: t.clone()}
	f.recent = append(f.recent, c)
	if len(f.recent) > feedMemory {
		f.recent = f.recent[len(f.recent)-feedMemory:]
	}
	for ch := range f.subs {
		select {
		case ch <- c:
		default:
			delete(f.subs, ch) // too slow: its stream ends, and it catches up on reconnecting
			close(ch)
		}
	}
}

// subscribe returns a channel of changes after seq: those still
// remembered, then the new ones.
func (f *changeFeed) subscribe(after uint64) (<-chan Change, func()) {
	ch := make(chan Change, subBuffer+feedMemory)
	f.mu.Lock()
	for _, c := range f.recent {
		if c.Seq > after {
			ch <- c
		}
	}
	f.subs[ch] = struct{}{}
	f.mu.Unlock()
	return ch, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if _, ok := f.subs[ch]; ok {
			delete(f.subs, ch)
			close(ch)
		}
	}
}

// Events streams the changes to todo lists, of every user or only of
// user, from the one after Last-Event-ID when the client sends it.
//
//kk:route GET /api/v1/todos/events
func (s *Todos) Events(ctx context.Context, es *kk.EventStream, user *UserID) error {
	feed := s.Store.feed
	changes, leave := feed.subscribe(feed.after(es.LastEventID()))
	defer leave()
	if err := es.Send(kk.Event{Event: "hello", Data: "watching todo changes", Retry: 2 * time.Second}); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case c, ok := <-changes:
			if !ok {
				return errBehind
			}
			if user != nil && c.User != *user {
				continue
			}
			data, err := json.Marshal(c)
			if err != nil {
				return err
			}
			if err := es.Send(kk.Event{ID: feed.eventID(c.Seq), Event: c.Kind, Data: string(data)}); err != nil {
				return err
			}
		}
	}
}

// Feed is a page that shows the feed as it happens.
//
//kk:route GET /feed
func Feed(c *kk.Ctx) error {
	b, err := fs.ReadFile(staticFiles, "static/feed.html") // files.go
	if err != nil {
		return fmt.Errorf("feed page: %w", err)
	}
	c.SetContentType("text/html; charset=utf-8")
	c.SetBody(b)
	return nil
}
