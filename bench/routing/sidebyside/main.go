// Command sidebyside times routers against each other on a machine too
// noisy for separate benchmark runs to be compared: it interleaves them at
// a fine grain. Each round runs every router for a slice of about -slice
// (rotating which goes first), through the same native harnesses as
// BenchmarkRouting (a prepared RequestCtx per request for fasthttp
// routers, upstream's reused *http.Request and mock ResponseWriter for
// net/http ones), so a busy spell lands on all of them alike. It prints
// each router's median and minimum ns/op and its allocs/op, the median
// over rounds of kk's time divided by each peer's in the same round, and
// the ratio of the minimums (the least disturbed slices).
//
// From bench/:
//
//	go run ./routing/sidebyside -rounds 200 -case GithubAll,GithubStatic,Param
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kommandkit/kk/bench/routing"
	"github.com/valyala/fasthttp"
)

func main() {
	rounds := flag.Int("rounds", 200, "rounds; each runs every router once")
	slice := flag.Duration("slice", 2*time.Millisecond, "time each router runs per round")
	cases := flag.String("case", "GithubAll", "comma-separated cases of routing.Cases")
	names := flag.String("router", "kk,fasthttp-router,httprouter,echo,gin,bunrouter", "comma-separated routers; the first is compared with the rest")
	flag.Parse()
	want := strings.Split(*names, ",")
	for _, cname := range strings.Split(*cases, ",") {
		c, ok := findCase(cname)
		if !ok {
			fmt.Fprintf(os.Stderr, "no case %q\n", cname)
			os.Exit(2)
		}
		var ops []func()
		for _, n := range want {
			r, ok := findRouter(n)
			if !ok {
				fmt.Fprintf(os.Stderr, "no router %q\n", n)
				os.Exit(2)
			}
			ops = append(ops, op(r, c))
		}
		run(c.Name, want, ops, *rounds, *slice)
	}
}

func findCase(name string) (routing.Case, bool) {
	for _, c := range routing.Cases() {
		if c.Name == name {
			return c, true
		}
	}
	return routing.Case{}, false
}

func findRouter(name string) (routing.Router, bool) {
	for _, r := range routing.Routers {
		if r.Name == name {
			return r, true
		}
	}
	return routing.Router{}, false
}

// op is one benchmark op of r on c: every request of c once, in order, as
// BenchFast and BenchHTTP run it.
func op(r routing.Router, c routing.Case) func() {
	if r.HTTP != nil {
		h := r.HTTP(c.Table, nil)
		w := mockResponseWriter{}
		req, _ := http.NewRequest("GET", "/", nil)
		u := req.URL
		rq := u.RawQuery
		return func() {
			for _, q := range c.Reqs {
				req.Method = q.Method
				req.RequestURI = q.Path
				u.Path = q.Path
				u.RawQuery = rq
				h.ServeHTTP(w, req)
			}
		}
	}
	h := r.Fast(c.Table, nil)
	ctxs := make([]*fasthttp.RequestCtx, len(c.Reqs))
	for i, q := range c.Reqs {
		ctxs[i] = routing.PreparedCtx(q.Method, q.Path)
	}
	return func() {
		for _, ctx := range ctxs {
			h(ctx)
		}
	}
}

type mockResponseWriter struct{}

func (mockResponseWriter) Header() http.Header         { return http.Header{} }
func (mockResponseWriter) Write(p []byte) (int, error) { return len(p), nil }
func (mockResponseWriter) WriteHeader(int)             {}

func run(name string, names []string, ops []func(), rounds int, slice time.Duration) {
	// Calibrate: how many ops fill a slice, per router.
	n := make([]int, len(ops))
	allocs := make([]float64, len(ops))
	for i, f := range ops {
		f()
		allocs[i] = testing.AllocsPerRun(20, f)
		k := 1
		for {
			t := time.Now()
			for range k {
				f()
			}
			if d := time.Since(t); d >= slice/4 {
				k = max(1, int(float64(k)*float64(slice)/float64(d)))
				break
			}
			k *= 2
		}
		n[i] = k
	}
	ns := make([][]float64, len(ops)) // ns/op per router per round
	for r := range rounds {
		for j := range ops {
			i := (j + r) % len(ops)
			t := time.Now()
			for range n[i] {
				ops[i]()
			}
			ns[i] = append(ns[i], float64(time.Since(t).Nanoseconds())/float64(n[i]))
		}
	}
	fmt.Printf("%s: %d rounds of %v per router\n", name, rounds, slice)
	fmt.Printf("%-16s %12s %12s %10s %16s %16s\n", "router", "ns/op median", "ns/op min", "allocs/op",
		names[0]+"/it median", names[0]+"/it min")
	// The fastest peer is the one kk compares worst with: the largest
	// median of per-round ratios (the same peer, in every run here, as the
	// largest ratio of minimums).
	fastest, worst := 0, 0.0
	for i := range ops {
		ratio, lowRatio := "-", "-"
		if i > 0 {
			q := median(div(ns[0], ns[i]))
			ratio = fmt.Sprintf("%.3f", q)
			lowRatio = fmt.Sprintf("%.3f", slices.Min(ns[0])/slices.Min(ns[i]))
			if q > worst {
				fastest, worst = i, q
			}
		}
		fmt.Printf("%-16s %12.1f %12.1f %10.0f %16s %16s\n", names[i], median(ns[i]), slices.Min(ns[i]), allocs[i], ratio, lowRatio)
	}
	if fastest > 0 {
		fmt.Printf("fastest peer: %s; %s/%s: %.3f (median of per-round ratios), %.3f (min against min)\n",
			names[fastest], names[0], names[fastest], worst, slices.Min(ns[0])/slices.Min(ns[fastest]))
	}
	fmt.Println()
}

func div(a, b []float64) []float64 {
	q := make([]float64, len(a))
	for i := range a {
		q[i] = a[i] / b[i]
	}
	return q
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
