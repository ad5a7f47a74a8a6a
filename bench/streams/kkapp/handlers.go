// Package kkapp is the kk side of the streams benchmark: an upload route
// that counts an io.Reader body, a download route that streams an
// io.Reader result, and an event stream that waits for a broadcast.
package kkapp

//go:generate go run github.com/kommandkit/kk/cmd/kkgen

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/kommandkit/kk/bench/streams/source"
	kk "github.com/kommandkit/kk/runtime"
)

// Upload counts the body, read as it arrives.
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

// Download streams size bytes.
//
//kk:route GET /download
func Download(size int64) io.Reader { return source.New(size) }

var (
	mu   sync.Mutex
	next = make(chan string)
	open int
)

// Opened is how many event streams are waiting for a broadcast.
func Opened() int {
	mu.Lock()
	defer mu.Unlock()
	return open
}

// Broadcast wakes every waiting stream with data.
func Broadcast(data string) {
	mu.Lock()
	defer mu.Unlock()
	close(next)
	next = make(chan string)
	last = data
}

var last string

// Events sends "ready", then one event per broadcast.
//
//kk:route GET /events
func Events(ctx context.Context, es *kk.EventStream) error {
	if err := es.Send(kk.Event{Data: "ready"}); err != nil {
		return err
	}
	mu.Lock()
	open++
	wait := next
	mu.Unlock()
	defer func() {
		mu.Lock()
		open--
		mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-wait:
			mu.Lock()
			data := last
			wait = next
			mu.Unlock()
			if err := es.Send(kk.Event{Data: data}); err != nil {
				return err
			}
		}
	}
}

// Fire broadcasts one event to every open stream.
//
//kk:route POST /fire
func Fire(data string) int {
	n := Opened()
	Broadcast(data)
	return n
}

// OpenedCount is how many streams wait for a broadcast.
//
//kk:route GET /opened
func OpenedCount() int { return Opened() }
