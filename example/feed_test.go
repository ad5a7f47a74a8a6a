package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// sseEvent is an event read off the feed.
type sseEvent struct{ id, typ, data string }

// readEvent reads one event (LF line endings, as kk writes them).
func readEvent(t *testing.T, br *bufio.Reader) sseEvent {
	t.Helper()
	var ev sseEvent
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the feed: %v", err)
		}
		l = strings.TrimSuffix(l, "\n")
		switch {
		case l == "" && ev.data != "":
			return ev
		case strings.HasPrefix(l, "id: "):
			ev.id = l[4:]
		case strings.HasPrefix(l, "event: "):
			ev.typ = l[7:]
		case strings.HasPrefix(l, "data: "):
			ev.data = l[6:]
		}
	}
}

func openFeed(t *testing.T, c *client, query, lastID string) *bufio.Reader {
	t.Helper()
	req, _ := http.NewRequest("GET", c.base+"/api/v1/todos/events"+query, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := c.hc.Do(req) // its 10 s timeout is the test's bound
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("feed: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	br := bufio.NewReader(resp.Body)
	if ev := readEvent(t, br); ev.typ != "hello" {
		t.Fatalf("first event %+v, want the hello", ev)
	}
	return br
}

func TestFeed(t *testing.T) {
	t.Parallel()
	svc := testService(t)
	c := serveService(t, svc)
	feed := svc.todos.Store.feed
	u := newUser(c, "feeder")
	other := newUser(c, "other")
	br := openFeed(t, c, fmt.Sprintf("?user=%d", u.ID), "")
	wantJSON[Todo](c, "POST", fmt.Sprintf("/api/v1/users/%d/todos", other.ID), http.StatusCreated, auth, jsonBody(`{"title":"not mine"}`))
	todo := wantJSON[Todo](c, "POST", fmt.Sprintf("/api/v1/users/%d/todos", u.ID), http.StatusCreated, auth, jsonBody(`{"title":"watch the feed"}`))
	c.want("PUT", fmt.Sprintf("/api/v1/users/%d/todos/%d/done/true", u.ID, todo.ID), http.StatusNoContent, "", auth)
	c.want("DELETE", fmt.Sprintf("/api/v1/users/%d/todos/%d", u.ID, todo.ID), http.StatusNoContent, "", auth)

	done := make(chan []sseEvent)
	go func() {
		var evs []sseEvent
		for range 3 {
			evs = append(evs, readEvent(t, br))
		}
		done <- evs
	}()
	var evs []sseEvent
	select {
	case evs = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the feed did not deliver the changes")
	}
	for i, want := range []struct {
		kind  string
		title string
		done  bool
	}{{"todo.added", "watch the feed", false}, {"todo.updated", "watch the feed", true}, {"todo.deleted", "", false}} {
		var ch Change
		if err := json.Unmarshal([]byte(evs[i].data), &ch); err != nil {
			t.Fatalf("event %d data %q: %v", i, evs[i].data, err)
		}
		if evs[i].typ != want.kind || ch.Kind != want.kind || ch.User != u.ID || ch.Todo.ID != todo.ID ||
			ch.Todo.Title != want.title || ch.Todo.Done != want.done || evs[i].id != feed.eventID(ch.Seq) {
			t.Errorf("event %d = %+v (%+v), want a %s of todo %d of user %d", i, evs[i], ch, want.kind, todo.ID, u.ID)
		}
	}

	// A client that reconnects with the ID of the first change gets the
	// two after it again.
	br = openFeed(t, c, fmt.Sprintf("?user=%d", u.ID), evs[0].id)
	if got := readEvent(t, br); got != evs[1] {
		t.Errorf("after reconnecting: %+v, want %+v", got, evs[1])
	}
	if got := readEvent(t, br); got != evs[2] {
		t.Errorf("after reconnecting: %+v, want %+v", got, evs[2])
	}
}

func TestFeedPage(t *testing.T) {
	t.Parallel()
	c := startServer(t)
	_, body := c.want("GET", "/feed", http.StatusOK, "text/html; charset=utf-8")
	if !strings.Contains(body, `new EventSource("/api/v1/todos/events")`) {
		t.Errorf("the feed page does not open the feed:\n%s", body)
	}
}

// TestFeedAcrossRestart: a restart starts a new feed (its sequence at 1
// again). Its IDs never repeat the old ones, and a client that resumes
// with an ID of the old feed gets every change of the new one: none
// hidden behind the old ID, none twice.
func TestFeedAcrossRestart(t *testing.T) {
	t.Parallel()
	svc := testService(t)
	c := serveService(t, svc)
	u := newUser(c, "restart")
	todos := fmt.Sprintf("/api/v1/users/%d/todos", u.ID)
	br := openFeed(t, c, fmt.Sprintf("?user=%d", u.ID), "")
	for i := range 3 {
		wantJSON[Todo](c, "POST", todos, http.StatusCreated, auth, jsonBody(fmt.Sprintf(`{"title":"before %d"}`, i)))
	}
	var last sseEvent
	for range 3 {
		last = readEvent(t, br)
	}
	// The restart: a new process's feed, started later.
	feed := newChangeFeed(time.Now().Add(time.Second))
	svc.todos.Store.feed = feed
	for i := range 3 {
		wantJSON[Todo](c, "POST", todos, http.StatusCreated, auth, jsonBody(fmt.Sprintf(`{"title":"after %d"}`, i)))
	}
	br = openFeed(t, c, fmt.Sprintf("?user=%d", u.ID), last.id)
	for i := range 3 {
		ev := readEvent(t, br)
		var ch Change
		if err := json.Unmarshal([]byte(ev.data), &ch); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("after %d", i); ch.Todo.Title != want || ev.id == last.id || ev.id != feed.eventID(uint64(i+1)) {
			t.Errorf("resumed with %s: event %d = %s %q; want %q with a new ID", last.id, i, ev.id, ch.Todo.Title, want)
		}
	}
	// IDs that are not this feed's, or do not parse, resume from the start.
	for _, id := range []string{"", "3", "x-3", feed.epoch, feed.epoch + "-", feed.epoch + "-x"} {
		if got := feed.after(id); got != 0 {
			t.Errorf("after(%q) = %d; want 0", id, got)
		}
	}
	if got := feed.after(feed.eventID(2)); got != 2 {
		t.Errorf("after(%q) = %d; want 2", feed.eventID(2), got)
	}
}
