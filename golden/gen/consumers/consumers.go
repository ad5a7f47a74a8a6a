// Package consumers covers //kk:consumer: with and without a context, with
// and without a reply, concurrency=N, wildcards, and a package of consumers
// only (kk_gen.go then has RegisterConsumers and no NewRouter).
package consumers

import (
	"context"
	"errors"
	"sync"
	"time"
)

type OrderCreated struct {
	ID    int      `json:"id"`
	Items []string `json:"items"`
	Note  string   `json:"-"`
}

type QuoteRequest struct {
	Item string `json:"item"`
}

type QuoteReply struct {
	Item  string `json:"item"`
	Cents int    `json:"cents"`
}

// Shipped records what Ship saw, for the test.
var Shipped = struct {
	sync.Mutex
	IDs []int
}{}

//kk:consumer orders.created
func Ship(ctx context.Context, o OrderCreated) error {
	Shipped.Lock()
	defer Shipped.Unlock()
	Shipped.IDs = append(Shipped.IDs, o.ID)
	return nil
}

// Audit sees every order event, without a context.
var Audited = make(chan string, 100)

//kk:consumer orders.>
func Audit(o map[string]any) error {
	Audited <- "order"
	return nil
}

var ErrUnknownItem = errors.New("unknown item")

//kk:consumer quotes.get concurrency=4
func Quote(ctx context.Context, q QuoteRequest) (QuoteReply, error) {
	if q.Item == "" {
		return QuoteReply{}, ErrUnknownItem
	}
	return QuoteReply{Item: q.Item, Cents: 100 * len(q.Item)}, nil
}

// Slowly sleeps as long as it is asked, so the test can see three run at
// once.
//
//kk:consumer slow.*.run concurrency=3
func Slowly(d time.Duration) (int, error) {
	time.Sleep(d)
	return int(d), nil
}
