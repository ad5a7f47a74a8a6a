package cowmap

import (
	"sync"
	"testing"
)

func TestMap(t *testing.T) {
	var m Map[string, int]
	if _, ok := m.Get("a"); ok {
		t.Fatal("a value in an empty map")
	}
	if got := m.Put("a", 1); got != 1 {
		t.Errorf("Put(a, 1) = %d", got)
	}
	if got := m.Put("a", 2); got != 1 {
		t.Errorf("Put(a, 2) over 1 = %d, want the value kept, 1", got)
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			k := string(rune('b' + i%10))
			if v, ok := m.Get(k); !ok {
				m.Put(k, i%10)
			} else if v != i%10 {
				t.Errorf("Get(%s) = %d", k, v)
			}
		})
	}
	wg.Wait()
	for i := range 10 {
		if v, ok := m.Get(string(rune('b' + i))); !ok || v != i {
			t.Errorf("Get(%c) = %d, %v", 'b'+i, v, ok)
		}
	}
}
