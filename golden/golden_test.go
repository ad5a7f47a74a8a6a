// Package golden holds kkgen's golden tests.
//
// Generator cases live in gen/<case>/: each is a real package of the module
// holding annotated handlers and the kk_gen.go kkgen must produce for them,
// so `go build ./...` proves every expected output compiles, and most hold a
// <case>_test.go that drives NewRouter in memory.
//
// Error cases live in errors/<case>.txtar: the Go files of a package and a
// "want" section listing the diagnostics kkgen must report for it, one
// "file:line:col: message" per line, sorted, with file names relative to the
// package directory. The test extracts every archive into its own directory
// under a fresh errors/_work* directory (inside the module, so the files can
// import the runtime; ignored by ./... patterns because of the leading
// underscore) and removes it afterwards.
//
// A generator case with a client/ directory or a client.ts file also holds
// the Go or TypeScript client kkgen -client client -ts client.ts writes
// for it, compared the same way (clients_test.go). A case may also hold
// OpenAPI documents: openapi.json (3.1), openapi-3.0.json and
// openapi-3.2.json, each compared byte for byte with what kkgen -openapi
// writes for that version (documents_test.go).
//
// Run `go test ./golden -update` to rewrite the kk_gen.go files, clients,
// documents and want sections from what kkgen produces now, then review
// the diff.
package golden

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/kommandkit/kk/internal/diag"
	"github.com/kommandkit/kk/internal/generate"
	"github.com/kommandkit/kk/internal/write"
)

var update = flag.Bool("update", false, "rewrite the golden files with the current output")

// wantSection is the txtar section of an error case holding the expected
// diagnostics; every other section is a file of the package.
const wantSection = "want"

// TestGolden runs kkgen's pipeline over every generator case and every error
// case and compares the output, byte for byte, with the golden files; then
// runs the kkgen command over both.
func TestGolden(t *testing.T) {
	// Inside the module, so the error cases can import the runtime; the
	// leading underscore keeps ./... patterns (go build, go vet, kkgen) out.
	work, err := os.MkdirTemp("errors", "_work")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(work) })
	work = abs(t, work)

	genOK := t.Run("gen", testGen)
	var cases []*errorCase
	var all diag.List
	errorsOK := t.Run("errors", func(t *testing.T) { cases, all = testErrors(t, work) })
	if *update || !genOK || !errorsOK || len(cases) == 0 {
		return
	}
	t.Run("kkgen", func(t *testing.T) { testCommand(t, work, all.Format(work), cases[0]) })
}

func abs(t *testing.T, path string) string {
	t.Helper()
	p, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// caseDirs lists the subdirectories of dir.
func caseDirs(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), "_") && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	return names
}

// testGen generates every gen/<case> package in one pipeline run (one
// go/packages load) and compares each output with the committed kk_gen.go.
func testGen(t *testing.T) {
	root := abs(t, "gen")
	cases := caseDirs(t, root)
	if len(cases) == 0 {
		t.Fatal("no generator cases in gen/")
	}
	patterns := make([]string, len(cases))
	for i, c := range cases {
		patterns[i] = "./" + c
	}
	files, diags := generate.Run(root, patterns)
	if len(diags) > 0 {
		t.Fatalf("kkgen reported diagnostics for the generator cases:\n%s", diags.Format(root))
	}
	got := map[string][]byte{}
	byPath := map[string]generate.File{}
	for _, f := range files {
		got[f.Path] = f.Content
		byPath[f.Path] = f
	}
	for _, c := range cases {
		t.Run(c, func(t *testing.T) {
			path := filepath.Join(root, c, generate.FileName)
			out, ok := got[path]
			if !ok {
				t.Fatalf("kkgen generated no %s for gen/%s", generate.FileName, c)
			}
			delete(got, path)
			compare(t, path, out)
			compareClients(t, byPath[path])                                 // clients_test.go
			compareDocuments(t, filepath.Join(root, c), byPath[path].Model) // documents_test.go
		})
	}
	for path := range got {
		t.Errorf("kkgen generated %s, which is not a case directory", path)
	}
}

// compare checks got against the golden file at path, or rewrites the file
// with -update.
func compare(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if _, err := write.File(path, got); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; rerun with -update to create it", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from kkgen's output (-want +got):\n%s\nrerun with -update if the new output is right", path, write.Diff("want", "got", string(want), string(got)))
	}
}

// errorCase is one errors/<name>.txtar, extracted to dir.
type errorCase struct {
	name    string
	archive string // path of the .txtar
	ar      *txtar.Archive
	dir     string // where its files were extracted
	want    string
}

// testErrors extracts every error case into work, runs the pipeline over all
// of them at once (one go/packages load) and checks each package's
// diagnostics against its want section. It returns the cases and everything
// the pipeline reported.
func testErrors(t *testing.T, work string) ([]*errorCase, diag.List) {
	archives, err := filepath.Glob(filepath.Join("errors", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(archives) == 0 {
		t.Fatal("no error cases in errors/")
	}
	var cases []*errorCase
	for _, a := range archives {
		c := &errorCase{name: strings.TrimSuffix(filepath.Base(a), ".txtar"), archive: a}
		c.dir = filepath.Join(work, c.name)
		c.ar, err = txtar.ParseFile(a)
		if err != nil {
			t.Fatal(err)
		}
		c.want = extract(t, c)
		cases = append(cases, c)
	}

	patterns := make([]string, len(cases))
	for i, c := range cases {
		patterns[i] = "./" + c.name
	}
	files, all := generate.Run(work, patterns)
	if len(files) > 0 {
		t.Errorf("generate.Run returned %d files along with diagnostics; want none", len(files))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.diags(all)
			if got != c.want {
				// The run over all cases stops at the first load (syntax
				// or type) error; run this case alone before judging it.
				_, alone := generate.Run(c.dir, []string{"."})
				got = c.diags(alone)
			}
			if *update {
				c.rewrite(t, got)
				return
			}
			if got == "" {
				t.Fatalf("kkgen reported nothing for %s; want:\n%s", c.archive, c.want)
			}
			if got != c.want {
				t.Errorf("diagnostics for %s differ (-want +got):\n%s\nrerun with -update if the new output is right", c.archive, write.Diff("want", "got", c.want, got))
			}
		})
	}
	for _, d := range all {
		if !slices.ContainsFunc(cases, func(c *errorCase) bool { return within(c.dir, d.Pos.Filename) }) {
			t.Errorf("diagnostic outside every case directory: %v", d)
		}
	}
	return cases, all
}

// extract writes the files of c into c.dir and returns its want section.
func extract(t *testing.T, c *errorCase) string {
	t.Helper()
	want, found := "", false
	for _, f := range c.ar.Files {
		if f.Name == wantSection {
			want, found = string(f.Data), true
			continue
		}
		// Files other than Go files sit in subdirectories: data that
		// //go:embed lines read.
		if filepath.IsAbs(f.Name) || strings.Contains(f.Name, "..") || (!strings.HasSuffix(f.Name, ".go") && !strings.Contains(f.Name, "/")) {
			t.Fatalf("%s: section %q: want a relative .go file name, a data file in a subdirectory, or %q", c.archive, f.Name, wantSection)
		}
		path := filepath.Join(c.dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !found && !*update {
		t.Fatalf("%s has no %q section; rerun with -update to add it", c.archive, wantSection)
	}
	return want
}

// diags formats the diagnostics of all that lie in c's directory, relative
// to it.
func (c *errorCase) diags(all diag.List) string {
	var mine diag.List
	for _, d := range all {
		if within(c.dir, d.Pos.Filename) {
			mine = append(mine, d)
		}
	}
	return mine.Format(c.dir)
}

// rewrite replaces c's want section with got and rewrites its archive.
func (c *errorCase) rewrite(t *testing.T, got string) {
	t.Helper()
	files := slices.DeleteFunc(slices.Clone(c.ar.Files), func(f txtar.File) bool { return f.Name == wantSection })
	ar := &txtar.Archive{Comment: c.ar.Comment, Files: append(files, txtar.File{Name: wantSection, Data: []byte(got)})}
	if err := os.WriteFile(c.archive, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}

func within(dir, file string) bool {
	rel, err := filepath.Rel(dir, file)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// testCommand builds kkgen and runs it: with -check over the generator
// cases, which must be up to date; over every error case at once, where it
// must print what the pipeline reported (checked against the want sections
// already); and with no arguments inside one error case, as go generate
// runs it, where it must print that case's want section. Runs over error
// cases must exit 1 and write no kk_gen.go.
func testCommand(t *testing.T, work, wantAll string, one *errorCase) {
	if testing.Short() {
		t.Skip("builds kkgen; skipped in -short mode")
	}
	bin := filepath.Join(t.TempDir(), "kkgen")
	build := exec.Command("go", "build", "-o", bin, "github.com/kommandkit/kk/cmd/kkgen")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building kkgen: %v\n%s", err, out)
	}
	run := func(dir string, args []string, code int, want string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, &stdout, &stderr
		err := cmd.Run()
		if got := cmd.ProcessState.ExitCode(); got != code {
			t.Errorf("kkgen %s in %s: exit status %d (%v); want %d", strings.Join(args, " "), dir, got, err, code)
		}
		if stdout.Len() > 0 {
			t.Errorf("kkgen %s in %s wrote to stdout:\n%s", strings.Join(args, " "), dir, stdout.Bytes())
		}
		if got := stderr.String(); got != want {
			t.Errorf("kkgen %s in %s printed other diagnostics (-want +got):\n%s", strings.Join(args, " "), dir, write.Diff("want", "got", want, got))
		}
	}
	entries, err := os.ReadDir(work)
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, e := range entries {
		args = append(args, "./"+e.Name())
	}
	run(abs(t, "gen"), []string{"-check", "./..."}, 0, "")
	run(work, args, 1, wantAll)
	run(one.dir, nil, 1, one.want)
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(work, e.Name(), generate.FileName)); err == nil {
			t.Errorf("kkgen wrote %s for error case %s", generate.FileName, e.Name())
		}
	}
}
