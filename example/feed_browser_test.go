package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestFeedInBrowser opens the live feed page in headless Chromium through
// a proxy, restarts the example process behind the proxy, and checks on
// the page's DOM that EventSource's resumption across the restart lost no
// change and showed none twice: every change of both processes appears
// exactly once, under IDs that never repeat.
func TestFeedInBrowser(t *testing.T) {
	chromium(t) // skips or fails before anything is built
	bin := buildExample(t)
	a := startInstance(t, bin)
	px := newSwitchProxy(t, strings.TrimPrefix(a.base, "http://"))

	br := startBrowser(t, 0, 0, 90*time.Second)
	tab := br.tab()
	if err := tab.navigate(px.base + "/feed"); err != nil {
		t.Fatalf("opening the feed page: %v", err)
	}
	if err := tab.waitText("#status", "connected:watching"); err != nil {
		t.Fatalf("opening the feed page: %v", err)
	}

	addTodos := func(in *instance, user int64, titles ...string) {
		for _, title := range titles {
			if st, body := in.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/todos", user), map[string]string{"title": title}); st != 201 {
				t.Fatalf("adding %q: %d %s", title, st, body)
			}
		}
	}
	newUser := func(in *instance, name string) int64 {
		st, body := in.do(t, "POST", "/api/v1/users", map[string]string{"name": name, "email": name + "@example.com"})
		var u struct{ ID int64 }
		if st != 201 || json.Unmarshal(body, &u) != nil {
			t.Fatalf("creating user %s: %d %s", name, st, body)
		}
		return u.ID
	}

	// The first process: three changes, seen live.
	addTodos(a, newUser(a, "before"), "a1", "a2", "a3")
	if err := tab.waitText("#changes", "a3"); err != nil {
		t.Fatalf("the page never showed the first process's changes: %v", err)
	}

	// The restart: the first process stops (its stream ends, EventSource
	// retries), a second one starts behind the same address. Four changes
	// are made before the page reconnects, three after.
	if err := a.cmd.Process.Signal(interrupt); err != nil {
		t.Fatal(err)
	}
	if err := a.cmd.Wait(); err != nil {
		t.Fatalf("the first process: %v", err)
	}
	if err := tab.waitText("#status", "reconnecting"); err != nil {
		t.Fatalf("the page did not notice the restart: %v", err)
	}
	b := startInstance(t, bin)
	px.to(strings.TrimPrefix(b.base, "http://"))
	user := newUser(b, "after")
	addTodos(b, user, "b1", "b2", "b3", "b4")
	if err := tab.waitText("#status", "connected:watching"); err != nil {
		t.Fatalf("the page did not resume on the second process: %v", err)
	}
	if err := tab.waitText("#changes", "b4"); err != nil {
		t.Fatalf("the page did not resume on the second process: %v", err)
	}
	addTodos(b, user, "b5", "b6", "b7")
	if err := tab.waitText("#changes", "b7"); err != nil {
		t.Fatalf("the page never showed the live changes after the restart: %v", err)
	}

	var items []string
	if err := tab.eval(`Array.from(document.querySelectorAll("#changes li"), li => li.textContent)`, &items); err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`^\[([^\]]+)\] todo\.added user \d+: #\d+ "(\w+)"$`)
	ids, titles := map[string]bool{}, map[string]int{}
	for _, it := range items {
		m := line.FindStringSubmatch(it)
		if m == nil {
			t.Errorf("unexpected line %q", it)
			continue
		}
		if ids[m[1]] {
			t.Errorf("event ID %s shown twice", m[1])
		}
		ids[m[1]] = true
		titles[m[2]]++
	}
	for _, want := range []string{"a1", "a2", "a3", "b1", "b2", "b3", "b4", "b5", "b6", "b7"} {
		if titles[want] != 1 {
			t.Errorf("change %s shown %d times; want once", want, titles[want])
		}
	}
	if len(items) != 10 {
		t.Errorf("%d changes shown; want 10:\n%s", len(items), strings.Join(items, "\n"))
	}
}

// switchProxy forwards TCP connections to a backend that can be changed,
// so the browser keeps one origin across a restart of the server.
type switchProxy struct {
	base    string
	backend atomic.Value // string: host:port
	mu      sync.Mutex
	conns   map[net.Conn]bool
}

func newSwitchProxy(t *testing.T, backend string) *switchProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &switchProxy{base: "http://" + ln.Addr().String(), conns: map[net.Conn]bool{}}
	p.to(backend)
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		for c := range p.conns {
			c.Close()
		}
		p.mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { p.serve(c) })
		}
	})
	return p
}

// to sends new connections to backend.
func (p *switchProxy) to(backend string) { p.backend.Store(backend) }

func (p *switchProxy) serve(c net.Conn) {
	defer c.Close()
	s, err := net.Dial("tcp", p.backend.Load().(string))
	if err != nil {
		return // the server is down: the client sees a closed connection
	}
	defer s.Close()
	p.mu.Lock()
	p.conns[c], p.conns[s] = true, true
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.conns, c)
		delete(p.conns, s)
		p.mu.Unlock()
	}()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(s, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, s); done <- struct{}{} }()
	<-done // either side ending ends both
}
