// Command kkgenscale measures kkgen on synthetic packages of growing size
// and on the GitHub table: wall time and peak memory of a kkgen run, the
// time go/packages takes to load the same package alone (what kkgen
// cannot avoid), and the size of the kk_gen.go it writes.
//
// Run it from bench/:
//
//	go run ./kkgenscale                      # 10, 100, 1000, 5000 routes and GitHub, 5 runs each
//	go run ./kkgenscale -sizes 100,1000 -reps 3
//
// Each package lives in a temporary module that requires kk through a
// replace to this repository. kkgen is built once; every package is
// generated once untimed first (warming the build cache, as a developer's
// second go generate is), then timed -reps times from scratch (kk_gen.go
// removed). Times are medians.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/tools/go/packages"

	"github.com/kommandkit/kk/bench/internal/tables"
)

func main() { os.Exit(run()) }

type measure struct {
	name           string
	routes, files  int
	srcBytes       int
	wall, load     time.Duration
	maxRSSKB       int64
	genBytes, gens int
}

func run() int {
	sizesFlag := flag.String("sizes", "10,100,1000,5000", "route counts of the synthetic packages")
	reps := flag.Int("reps", 5, "timed kkgen runs per package")
	github := flag.Bool("github", true, "also measure the GitHub table (bench/kkroutes/github)")
	keep := flag.Bool("keep", false, "keep the temporary modules (to profile kkgen on them) and print where")
	flag.Parse()

	root, err := filepath.Abs("..")
	if err != nil || !exists(filepath.Join(root, "cmd", "kkgen")) {
		fmt.Fprintln(os.Stderr, "kkgenscale: run from bench/ (../cmd/kkgen not found)")
		return 1
	}
	tmp, err := os.MkdirTemp("", "kkgenscale-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "kkgenscale:", err)
		return 1
	}
	if *keep {
		fmt.Println("modules kept in", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	kkgen := filepath.Join(tmp, "kkgen")
	if out, err := exec.Command("go", "build", "-o", kkgen, "github.com/kommandkit/kk/cmd/kkgen").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "kkgenscale: building kkgen: %v\n%s", err, out)
		return 1
	}

	type pkg struct {
		name  string
		files map[string]string
		n     int
	}
	var pkgs []pkg
	for _, s := range strings.Split(*sizesFlag, ",") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 5 {
			fmt.Fprintf(os.Stderr, "kkgenscale: bad size %q (at least 5)\n", s)
			return 2
		}
		pkgs = append(pkgs, pkg{fmt.Sprintf("synthetic %d", n), synthetic(n), n})
	}
	if *github {
		src, err := os.ReadFile(filepath.Join("kkroutes", "github", "handlers.go"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "kkgenscale:", err)
			return 1
		}
		pkgs = append(pkgs, pkg{"GitHub table", map[string]string{"handlers.go": string(src)}, len(tables.GitHub.Routes)})
	}

	fmt.Printf("kkgen scale: %d runs each, medians; peak RSS is the largest of kkgen and the go list it runs\n\n", *reps)
	var ms []measure
	for i, p := range pkgs {
		dir := filepath.Join(tmp, fmt.Sprintf("m%d", i))
		if err := writeModule(dir, root, p.files); err != nil {
			fmt.Fprintln(os.Stderr, "kkgenscale:", err)
			return 1
		}
		m, err := measurePkg(kkgen, dir, *reps)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kkgenscale: %s: %v\n", p.name, err)
			return 1
		}
		m.name, m.routes, m.files = p.name, p.n, len(p.files)
		for _, src := range p.files {
			m.srcBytes += len(src)
		}
		ms = append(ms, m)
		fmt.Printf("%-14s %5d routes: kkgen %8v  load %8v  peak RSS %4d MiB  kk_gen.go %7d bytes\n",
			m.name, m.routes, m.wall.Round(time.Millisecond), m.load.Round(time.Millisecond), m.maxRSSKB>>10, m.genBytes)
	}

	fmt.Printf("\n| package | routes | handler source | kkgen wall | go/packages load | kkgen minus load | load share | peak RSS | kk_gen.go | per route |\n")
	fmt.Printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, m := range ms {
		rest := m.wall - m.load
		fmt.Printf("| %s | %d | %d KiB in %d files | %v | %v | %v | %.0f%% | %d MiB | %d KiB | %d B |\n",
			m.name, m.routes, m.srcBytes>>10, m.files, m.wall.Round(time.Millisecond), m.load.Round(time.Millisecond),
			rest.Round(time.Millisecond), 100*m.load.Seconds()/m.wall.Seconds(), m.maxRSSKB>>10, m.genBytes>>10, m.genBytes/m.routes)
	}
	fmt.Printf("\nGrowth between sizes (marginal cost per added route):\n\n| from → to | kkgen wall per route | beyond loading per route |\n|---|---:|---:|\n")
	var synth []measure
	for _, m := range ms {
		if strings.HasPrefix(m.name, "synthetic") {
			synth = append(synth, m)
		}
	}
	for i := 1; i < len(synth); i++ {
		a, b := synth[i-1], synth[i]
		dn := time.Duration(b.routes - a.routes)
		fmt.Printf("| %d → %d | %v | %v |\n", a.routes, b.routes, ((b.wall - a.wall) / dn).Round(time.Microsecond/10),
			((b.wall - b.load - (a.wall - a.load)) / dn).Round(time.Microsecond/10))
	}
	return 0
}

// synthetic is a package of n routes (n rounded down to a multiple of
// 5): resources of five routes each, CRUD plus a two-parameter route,
// with int64 and string parameters, JSON results, an annotated sentinel
// error, and 100 routes per file.
func synthetic(n int) map[string]string {
	files := map[string]string{"types.go": `package api

import "errors"

// Item is every resource's JSON result.
type Item struct {
	ID   int64  ` + "`json:\"id\"`" + `
	Name string ` + "`json:\"name\"`" + `
}

// ErrNotFound is a sentinel mapped to 404.
//
//kk:error 404
var ErrNotFound = errors.New("not found")
`}
	var b strings.Builder
	file := 0
	flush := func() {
		if b.Len() > 0 {
			files[fmt.Sprintf("res%03d.go", file)] = "package api\n\nimport kk \"github.com/kommandkit/kk/runtime\"\n\nvar _ *kk.Ctx\n" + b.String()
			file++
			b.Reset()
		}
	}
	for r := 0; r < n/5; r++ {
		fmt.Fprintf(&b, `
//kk:route GET /api/v1/res%[1]d
func ListRes%[1]d() ([]Item, error) { return nil, nil }

//kk:route POST /api/v1/res%[1]d
func CreateRes%[1]d(c *kk.Ctx) (Item, error) { return Item{}, nil }

//kk:route GET /api/v1/res%[1]d/:id
func GetRes%[1]d(id int64) (Item, error) { return Item{ID: id}, nil }

//kk:route PUT /api/v1/res%[1]d/:id
func PutRes%[1]d(c *kk.Ctx, id int64) error { return nil }

//kk:route DELETE /api/v1/res%[1]d/:id/tags/:tag
func DeleteRes%[1]dTag(id int64, tag string) error { return ErrNotFound }
`, r)
		if (r+1)%20 == 0 {
			flush()
		}
	}
	flush()
	return files
}

func writeModule(dir, root string, files map[string]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	gomod := "module example.com/api\n\ngo 1.25.0\n\nrequire github.com/kommandkit/kk v0.0.0\n\nreplace github.com/kommandkit/kk => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		return err
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		return err
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			return err
		}
	}
	// Complete go.mod's requirements from kk's, as a user's go mod tidy would.
	cmd := exec.Command("go", "mod", "tidy")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go mod tidy: %v\n%s", err, out)
	}
	return nil
}

func measurePkg(kkgen, dir string, reps int) (measure, error) {
	gen := filepath.Join(dir, "kk_gen.go")
	runGen := func() (time.Duration, int64, error) {
		os.Remove(gen)
		cmd := exec.Command(kkgen)
		cmd.Dir = dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		t0 := time.Now()
		err := cmd.Run()
		d := time.Since(t0)
		if err != nil {
			return 0, 0, fmt.Errorf("kkgen: %v\n%s", err, out.String())
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		return d, ru.Maxrss, nil
	}
	if _, _, err := runGen(); err != nil { // warm the build cache
		return measure{}, err
	}
	var walls, loads []time.Duration
	var rss int64
	for range reps {
		d, r, err := runGen()
		if err != nil {
			return measure{}, err
		}
		walls = append(walls, d)
		rss = max(rss, r)
		l, err := load(dir)
		if err != nil {
			return measure{}, err
		}
		loads = append(loads, l)
	}
	info, err := os.Stat(gen)
	if err != nil {
		return measure{}, err
	}
	return measure{wall: medianDur(walls), load: medianDur(loads), maxRSSKB: rss, genBytes: int(info.Size())}, nil
}

// load is kkgen's first stage alone: go/packages with the mode and build
// tag of kk's internal/load.
func load(dir string) (time.Duration, error) {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
			packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports,
		Dir:        dir,
		BuildFlags: []string{"-tags=kkgen"},
	}
	t0 := time.Now()
	pkgs, err := packages.Load(cfg, ".")
	d := time.Since(t0)
	if err != nil {
		return 0, err
	}
	if len(pkgs) != 1 || len(pkgs[0].Syntax) == 0 {
		return 0, fmt.Errorf("loaded %d packages", len(pkgs))
	}
	return d, nil
}

func medianDur(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }
