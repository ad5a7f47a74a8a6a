package kk

import (
	"context"
	"time"
)

// cancelCtxKey is the key package context looks its own cancel contexts
// up by, through Value, when a derived context is cancelled. A timer
// (kk.Timeout's deadline) cancels from its own goroutine, possibly after
// the request has ended and fasthttp is resetting the RequestCtx, so a
// request context must answer that key without reading the RequestCtx:
// its answer is always nil anyway, as no one else can hold the key.
//
// The key is unexported; it is learned once, from the lookup WithCancel
// makes on a parent it does not know. Should context ever stop making
// it, the key stays nil and nothing changes.
var cancelCtxKey = func() (key any) {
	_, cancel := context.WithCancel(keyProbe{done: make(chan struct{}), key: &key})
	cancel()
	return key
}()

// keyProbe is a context that records the first key it is asked for.
type keyProbe struct {
	done chan struct{}
	key  *any
}

func (p keyProbe) Deadline() (time.Time, bool) { return time.Time{}, false }
func (p keyProbe) Done() <-chan struct{}       { return p.done }
func (p keyProbe) Err() error                  { return nil }
func (p keyProbe) Value(k any) any {
	if *p.key == nil {
		*p.key = k
	}
	return nil
}
