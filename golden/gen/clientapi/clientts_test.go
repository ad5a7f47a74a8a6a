package clientapi

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// tsc finds the TypeScript compiler: $TSC, then tsc on the PATH. Without
// one the test skips, except under CI=true, where .ci/run installs it and
// a missing compiler is a failure.
func tsc(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TSC"); p != "" {
		return p
	}
	if p, err := exec.LookPath("tsc"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no TypeScript compiler: set TSC or put tsc on the PATH (.ci/run installs it)")
	}
	t.Skip("no TypeScript compiler (set TSC or put tsc on the PATH); CI=true makes this a failure")
	return ""
}

// TestTypeScriptClient compiles client.ts with tsc --strict, with a script
// of its own (testdata/roundtrip.ts), and runs the script with Node
// against a real server: every kind of route and error, through the
// generated TypeScript.
func TestTypeScriptClient(t *testing.T) {
	compiler := tsc(t)
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no node on the PATH")
		}
		t.Skip("no node on the PATH")
	}
	dir := t.TempDir()
	for src, dst := range map[string]string{"client.ts": "client.ts", "testdata/roundtrip.ts": "roundtrip.ts"} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"type": "module"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	// The strictest settings a consumer might use; lib dom for fetch and
	// WebSocket, which browsers and Node both have.
	cmd := exec.Command(compiler, "--strict", "--noUnusedLocals", "--noUnusedParameters", "--noImplicitReturns", "--noFallthroughCasesInSwitch",
		"--exactOptionalPropertyTypes", "--noUncheckedIndexedAccess", "--target", "es2022", "--module", "es2022", "--lib", "es2022,dom,dom.iterable",
		"--outDir", dir, filepath.Join(dir, "client.ts"), filepath.Join(dir, "roundtrip.ts"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tsc --strict: %v\n%s", err, out)
	}
	base := serve(t)
	// Node 20 has WebSocket behind a flag; later versions have it on.
	run := exec.Command(node, "--experimental-websocket", filepath.Join(dir, "roundtrip.js"), base, token)
	out, err := run.CombinedOutput()
	if err != nil || !strings.HasSuffix(strings.TrimSpace(string(out)), "PASS") {
		t.Fatalf("node roundtrip.js: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
