package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pkgDir is the test's starting directory; runIn resolves dirs against it
// because t.Chdir lasts for the whole test.
var pkgDir, _ = os.Getwd()

func runIn(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(pkgDir, dir)
	}
	t.Chdir(dir)
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUpToDateIsSilent(t *testing.T) {
	for _, args := range [][]string{nil, {"-check"}, {"-check", "."}} {
		code, out, errOut := runIn(t, "testdata/ok", args...)
		if code != 0 || out != "" || errOut != "" {
			t.Errorf("kkgen %q = %d, stdout %q, stderr %q; want 0 and silence", args, code, out, errOut)
		}
	}
}

func TestCheckReportsStaleAndGenerateFixesIt(t *testing.T) {
	want, err := os.ReadFile("testdata/ok/kk_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("testdata/ok/ok.go")
	if err != nil {
		t.Fatal(err)
	}
	// A package directory inside the module (so the runtime resolves), that
	// ./... patterns ignore because of the leading underscore.
	dir, err := os.MkdirTemp("testdata", "_stale")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	stale := bytes.Replace(want, []byte("hello"), []byte("bye"), 1)
	writeFile(t, filepath.Join(dir, "ok.go"), src)
	writeFile(t, filepath.Join(dir, "kk_gen.go"), stale)
	abs, _ := filepath.Abs(dir)

	code, _, errOut := runIn(t, abs, "-check")
	if code != 1 || !strings.Contains(errOut, "kk_gen.go is stale") || !strings.Contains(errOut, "run go generate") ||
		!strings.Contains(errOut, "\n--- kk_gen.go (on disk)\n+++ kk_gen.go (generated)\n@@ ") {
		t.Errorf("-check on a stale file = %d, stderr %q", code, errOut)
	}
	if got, _ := os.ReadFile(filepath.Join(abs, "kk_gen.go")); !bytes.Equal(got, stale) {
		t.Error("-check modified kk_gen.go")
	}
	if code, _, errOut := runIn(t, abs); code != 0 || errOut != "" {
		t.Fatalf("kkgen = %d, %s", code, errOut)
	}
	if got, _ := os.ReadFile(filepath.Join(abs, "kk_gen.go")); !bytes.Equal(got, want) {
		t.Error("kkgen did not regenerate kk_gen.go as in testdata/ok")
	}
}

func TestDiagnosticsAllAtOnceAndNothingWritten(t *testing.T) {
	code, out, errOut := runIn(t, "testdata/bad")
	want := `bad.go:4:23: pattern parameter "name" has no parameter of that name in func Hello
bad.go:5:12: parameter nom of Hello has type chan string, which nothing binds: it is not a pattern parameter of "/hello/:name", a query value (string, bool, a number, a TextUnmarshaler, or *T or []T of those), an input struct, or a body (a struct, slice or map as JSON, []byte, io.Reader)
bad.go:7:16: pattern "hello" must start with "/"
`
	if code != 1 || out != "" || errOut != want {
		t.Errorf("kkgen = %d, stdout %q, stderr:\n%s\nwant:\n%s", code, out, errOut, want)
	}
	if _, err := os.Stat("kk_gen.go"); !os.IsNotExist(err) {
		t.Errorf("kk_gen.go written despite diagnostics (stat: %v)", err)
	}
}

func TestUsage(t *testing.T) {
	if code, _, errOut := runIn(t, ".", "-nope"); code != 2 || !strings.Contains(errOut, "usage: kkgen") {
		t.Errorf("bad flag = %d, %q", code, errOut)
	}
	if code, _, errOut := runIn(t, ".", "-h"); code != 0 || !strings.Contains(errOut, "-routes prints one route a line") {
		t.Errorf("-h = %d, %q", code, errOut)
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRoutesListsAndWritesNothing(t *testing.T) {
	code, out, errOut := runIn(t, "testdata/ok", "-routes")
	want := "GET     /hello/:name                             Hello\tok.go:4\n"
	if code != 0 || out != want || errOut != "" {
		t.Errorf("-routes = %d, stdout %q, stderr %q; want %q", code, out, errOut, want)
	}
}

// TestRoutesShowsEachChain: -routes ends each row with the middleware the
// annotations put around the route, outermost first, so a route without
// the group's Auth stands out.
func TestRoutesShowsEachChain(t *testing.T) {
	code, out, errOut := runIn(t, "testdata/chain", "-routes")
	want := "GET     /api/users                               Users\tapi.go:9\tAuth\n" +
		"DELETE  /api/users/:id                           DeleteUser\tapi.go:12\tAuth, Audit, timeout 2s\n" +
		"GET     /healthz                                 Healthz\tpublic.go:4\n"
	if code != 0 || out != want || errOut != "" {
		t.Errorf("-routes = %d, stderr %q, stdout:\n%s\nwant:\n%s", code, errOut, out, want)
	}
}
