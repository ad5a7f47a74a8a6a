package routing

import (
	"net/http/httptest"
	"testing"

	"github.com/kommandkit/kk/bench/internal/tables"
)

// BenchmarkRouting runs every case on every router through its native
// harness: BenchHTTP for net/http routers, BenchFast for fasthttp ones.
// Names are Routing/CASE/router=NAME, so benchstat -col /router puts the
// routers side by side.
func BenchmarkRouting(b *testing.B) {
	for _, c := range Cases() {
		b.Run(c.Name, func(b *testing.B) {
			for _, r := range Routers {
				b.Run("router="+r.Name, func(b *testing.B) {
					if r.HTTP != nil {
						BenchHTTP(b, r.HTTP(c.Table, nil), c.Reqs)
					} else {
						BenchFast(b, r.Fast(c.Table, nil), c.Reqs)
					}
				})
			}
		})
	}
}

// BenchmarkReparse runs the fasthttp routers through BenchFastReparse,
// which sets the URI and resets the response on every request: the
// harness cost a net/http mock does not have.
func BenchmarkReparse(b *testing.B) {
	for _, c := range Cases() {
		b.Run(c.Name, func(b *testing.B) {
			for _, r := range Routers {
				if r.Fast == nil {
					continue
				}
				b.Run("router="+r.Name, func(b *testing.B) {
					BenchFastReparse(b, r.Fast(c.Table, nil), c.Reqs)
				})
			}
		})
	}
}

// BenchmarkDispatch times the matchers alone, for kk (the generated
// kkMatch) and for the peers with a public lookup.
func BenchmarkDispatch(b *testing.B) {
	for _, c := range Cases() {
		b.Run(c.Name, func(b *testing.B) {
			for _, r := range Routers {
				if r.Lookup == nil {
					continue
				}
				b.Run("router="+r.Name, func(b *testing.B) {
					BenchLookup(b, r.Lookup(c.Table), c.Reqs)
				})
			}
		})
	}
}

// TestRouting checks that every router routes every request of every
// case's table, by pattern text and by concrete path, to the right route,
// so no benchmark measures a 404.
func TestRouting(t *testing.T) {
	for _, tab := range tables.All {
		for _, r := range Routers {
			var got []int
			hit := func(i int) { got = append(got, i) }
			serve := fastServer(r, tab, hit)
			for _, reqs := range [][]Request{Patterns(tab), Concretes(tab)} {
				for i, q := range reqs {
					got = got[:0]
					serve(q)
					if len(got) != 1 || got[0] != i {
						t.Errorf("%s %s: %s %s reached routes %v, want [%d] (%s)", r.Name, tab.Name, q.Method, q.Path, got, i, tab.Routes[i].Pattern)
					}
				}
			}
		}
	}
}

// TestProbes checks that every single request of Cases reaches a route
// (a handler runs exactly once) on every router, and that every lookup
// finds it.
func TestProbes(t *testing.T) {
	for _, c := range Cases() {
		for _, r := range Routers {
			n := 0
			serve := fastServer(r, c.Table, func(int) { n++ })
			var look func(string, string) bool
			if r.Lookup != nil {
				look = r.Lookup(c.Table)
			}
			for _, q := range c.Reqs {
				n = 0
				serve(q)
				if n != 1 {
					t.Errorf("%s %s: %s %s ran %d handlers, want 1", c.Name, r.Name, q.Method, q.Path, n)
				}
				if look != nil && !look(q.Method, q.Path) {
					t.Errorf("%s %s: lookup of %s %s found nothing", c.Name, r.Name, q.Method, q.Path)
				}
			}
		}
	}
}

// fastServer serves one request with r built from tab.
func fastServer(r Router, tab tables.Table, hit func(int)) func(Request) {
	if r.HTTP != nil {
		h := r.HTTP(tab, hit)
		return func(q Request) {
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(q.Method, q.Path, nil))
		}
	}
	h := r.Fast(tab, hit)
	return func(q Request) { h(PreparedCtx(q.Method, q.Path)) }
}
