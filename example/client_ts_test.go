package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTypeScriptClient compiles the example's client.ts (kkgen -ts) with
// tsc --strict, with testdata/roundtrip.ts, and runs the script with Node
// against the example on a loopback port. Without tsc ($TSC or on the
// PATH) or node it skips, except under CI=true, where it fails.
func TestTypeScriptClient(t *testing.T) {
	t.Parallel()
	compiler, node := os.Getenv("TSC"), ""
	if compiler == "" {
		compiler, _ = exec.LookPath("tsc")
	}
	node, _ = exec.LookPath("node")
	if compiler == "" || node == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("tsc (%q) and node (%q) are needed; .ci/run installs them", compiler, node)
		}
		t.Skip("no tsc ($TSC or on the PATH) or no node; CI=true makes this a failure")
	}
	dir := t.TempDir()
	for src, dst := range map[string]string{"client.ts": "client.ts", "testdata/roundtrip.ts": "roundtrip.ts", "": "package.json"} {
		b := []byte(`{"type": "module"}`)
		if src != "" {
			var err error
			if b, err = os.ReadFile(src); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tsc := exec.Command(compiler, "--strict", "--noUnusedLocals", "--noUnusedParameters", "--noImplicitReturns",
		"--exactOptionalPropertyTypes", "--noUncheckedIndexedAccess", "--target", "es2022", "--module", "es2022", "--lib", "es2022,dom,dom.iterable",
		"--outDir", dir, filepath.Join(dir, "client.ts"), filepath.Join(dir, "roundtrip.ts"))
	if out, err := tsc.CombinedOutput(); err != nil {
		t.Fatalf("tsc --strict: %v\n%s", err, out)
	}

	base := loopbackServer(t) // chat_test.go
	// Node 20 has WebSocket behind a flag; later versions have it on.
	out, err := exec.Command(node, "--experimental-websocket", filepath.Join(dir, "roundtrip.js"), base, testToken).CombinedOutput()
	if err != nil || !strings.HasSuffix(strings.TrimSpace(string(out)), "PASS") {
		t.Fatalf("node roundtrip.js: %v\n%s", err, out)
	}
}
