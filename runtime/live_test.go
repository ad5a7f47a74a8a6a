package kk

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLiveSetShutdown checks the set long-lived handlers register with:
// shutdown asks each to stop and waits for it, one registered after the
// shutdown began is asked at once, and a handler that does not finish in
// time is counted as still open.
func TestLiveSetShutdown(t *testing.T) {
	s := &newStopping().live // each server has its own
	var stopped atomic.Int32
	finish := make(chan struct{})
	done := s.add(func() { stopped.Add(1); close(finish) })
	go func() { <-finish; time.Sleep(10 * time.Millisecond); done(); done() }() // done twice is harmless
	if n := s.len(); n != 1 {
		t.Fatalf("len %d, want 1", n)
	}
	if open := s.shutdown(context.Background()); open != 0 || stopped.Load() != 1 || s.len() != 0 {
		t.Fatalf("shutdown left %d open, stopped %d, len %d", open, stopped.Load(), s.len())
	}

	late := false
	doneLate := s.add(func() { late = true })
	if !late {
		t.Error("a connection added after shutdown was not stopped at once")
	}
	doneLate()

	stuck := s.add(func() {}) // never finishes by itself
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if open := s.shutdown(ctx); open != 1 {
		t.Errorf("shutdown with a stuck handler: %d open, want 1", open)
	}
	stuck()
}

// TestLiveSetAddDuringShutdown: sockets upgraded while the server stops
// register as a shutdown waits (under -race this caught a WaitGroup
// reused across its Wait), and two shutdowns of one set may run at
// once; both waits end when the last handler has finished.
func TestLiveSetAddDuringShutdown(t *testing.T) {
	empty := &liveSet{} // a shutdown with nothing open, racing an upgrade
	go empty.shutdown(context.Background())
	empty.add(func() {})()

	s := &liveSet{}
	first := make(chan struct{})
	doneFirst := s.add(func() { close(first) })
	results := make(chan int, 2)
	for range 2 {
		go func() { results <- s.shutdown(context.Background()) }()
	}
	<-first
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stopped := make(chan struct{})
			done := s.add(func() { close(stopped) })
			<-stopped // asked at once: shutdown has begun
			done()
		}()
	}
	wg.Wait()
	doneFirst()
	for range 2 {
		select {
		case open := <-results:
			if open != 0 {
				t.Errorf("shutdown left %d open", open)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("shutdown still waiting after every handler finished")
		}
	}
}
