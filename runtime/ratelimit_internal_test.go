package kk

import (
	"testing"

	"golang.org/x/time/rate"
)

// TestBucketsBounded: however many keys come, no more than the bound are
// kept, and a key in use keeps its bucket (its tokens) across the
// generations.
func TestBucketsBounded(t *testing.T) {
	b := newBuckets[int](rate.Limit(1), 1, 100)
	hot := b.get(-1)
	if !hot.Allow() {
		t.Fatal("a fresh bucket refused")
	}
	for i := range 10_000 {
		b.get(i)
		if i%10 == 0 && b.get(-1) != hot {
			t.Fatalf("after %d other keys the key in use lost its bucket", i)
		}
		if n := b.len(); n > 100 {
			t.Fatalf("%d buckets kept, bound 100", n)
		}
	}
	if b.get(-1).Allow() {
		t.Error("the key in use got a full bucket back")
	}
}
