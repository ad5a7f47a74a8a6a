// Command report turns the output of the routing benchmarks (go test
// -bench, any -count) into the Markdown tables of BENCHMARKS.md: per
// group (Routing, Reparse, Dispatch) one table of median ns/op with a
// column per router, then kk's B/op and allocs/op, the fastest peer and
// kk's ratio to it (below 1 means kk is faster). It reads routing/icount.sh's
// output (name, tab, instructions per op) the same way, as one run each.
//
//	go run ./internal/report results/routing.txt
//	go run ./internal/report results/icount.txt
package main

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

type sample struct{ ns, bytes, allocs float64 }

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: report results/routing.txt")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	// group → case → router → samples
	data := map[string]map[string]map[string][]sample{}
	var groups, cases, routers []string
	add := func(list *[]string, s string) {
		if !slices.Contains(*list, s) {
			*list = append(*list, s)
		}
	}
	unit := "ns/op"
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 2 && strings.HasPrefix(fields[0], "Routing/") { // icount.sh
			fields = []string{"Benchmark" + fields[0], "1", fields[1], "ns/op"}
			unit = "instructions/op"
		}
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		parts := strings.Split(strings.TrimPrefix(fields[0], "Benchmark"), "/")
		if len(parts) != 3 || !strings.HasPrefix(parts[2], "router=") {
			continue
		}
		g, c, r := parts[0], parts[1], strings.TrimPrefix(parts[2], "router=")
		r = r[:len(r)-len(cpuSuffix(r))]
		var s sample
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			switch fields[i+1] {
			case "ns/op":
				s.ns = v
			case "B/op":
				s.bytes = v
			case "allocs/op":
				s.allocs = v
			}
		}
		add(&groups, g)
		add(&cases, c)
		add(&routers, r)
		if data[g] == nil {
			data[g] = map[string]map[string][]sample{}
		}
		if data[g][c] == nil {
			data[g][c] = map[string][]sample{}
		}
		data[g][c][r] = append(data[g][c][r], s)
	}
	// Report order: kk, then routing.Routers' order; others after.
	order := []string{"kk", "fasthttp-router", "httprouter", "echo", "gin", "chi", "bunrouter", "servemux"}
	slices.SortStableFunc(routers, func(a, b string) int { return rank(order, a) - rank(order, b) })
	for _, g := range groups {
		var rs []string
		for _, r := range routers {
			for _, c := range cases {
				if len(data[g][c][r]) > 0 {
					add(&rs, r)
				}
			}
		}
		if len(rs) < 2 {
			continue
		}
		fmt.Printf("\n### %s (median %s of %d runs)\n\n", g, unit, maxRuns(data[g]))
		mem := unit == "ns/op"
		if mem {
			fmt.Printf("| benchmark | %s | kk B/op | kk allocs/op | fastest peer | kk / fastest peer |\n", strings.Join(rs, " | "))
			fmt.Printf("|---|%s---:|---:|---|---:|\n", strings.Repeat("---:|", len(rs)))
		} else {
			fmt.Printf("| benchmark | %s | fastest peer | kk / fastest peer |\n", strings.Join(rs, " | "))
			fmt.Printf("|---|%s---|---:|\n", strings.Repeat("---:|", len(rs)))
		}
		for _, c := range cases {
			row := data[g][c]
			if len(row) == 0 {
				continue
			}
			cells := make([]string, len(rs))
			best, bestNS := "", 0.0
			for i, r := range rs {
				ss := row[r]
				if len(ss) == 0 {
					cells[i] = "–"
					continue
				}
				ns := median(ss, func(s sample) float64 { return s.ns })
				cells[i] = fmtNS(ns)
				if allocs := median(ss, func(s sample) float64 { return s.allocs }); allocs > 0 {
					cells[i] += fmt.Sprintf(" (%g allocs)", allocs)
				}
				if r != "kk" && (best == "" || ns < bestNS) {
					best, bestNS = r, ns
				}
			}
			kk := row["kk"]
			if len(kk) == 0 {
				continue
			}
			kkNS := median(kk, func(s sample) float64 { return s.ns })
			for i, r := range rs {
				if r == "kk" || r == best {
					cells[i] = "**" + cells[i] + "**"
				}
			}
			ratio := "–"
			if best != "" {
				ratio = fmt.Sprintf("%.2f", kkNS/bestNS)
			}
			if !mem {
				fmt.Printf("| %s | %s | %s | %s |\n", c, strings.Join(cells, " | "), best, ratio)
				continue
			}
			fmt.Printf("| %s | %s | %g | %g | %s | %s |\n", c, strings.Join(cells, " | "),
				median(kk, func(s sample) float64 { return s.bytes }), median(kk, func(s sample) float64 { return s.allocs }), best, ratio)
		}
	}
}

func rank(order []string, s string) int {
	if i := slices.Index(order, s); i >= 0 {
		return i
	}
	return len(order)
}

// cpuSuffix is the "-N" go test appends to names when GOMAXPROCS > 1.
func cpuSuffix(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return ""
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return ""
	}
	return name[i:]
}

func median(ss []sample, f func(sample) float64) float64 {
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = f(s)
	}
	slices.Sort(v)
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2
	}
	return v[len(v)/2]
}

func maxRuns(m map[string]map[string][]sample) int {
	n := 0
	for _, row := range m {
		for _, ss := range row {
			n = max(n, len(ss))
		}
	}
	return n
}

func fmtNS(ns float64) string {
	switch {
	case ns >= 1000:
		return strconv.FormatFloat(ns, 'f', 0, 64)
	case ns >= 100:
		return strconv.FormatFloat(ns, 'f', 0, 64)
	default:
		return strconv.FormatFloat(ns, 'f', 1, 64)
	}
}
