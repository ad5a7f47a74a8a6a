package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestClientFlags: -client DIR and -ts FILE write the clients beside
// kk_gen.go (creating DIR), -check reports them missing or stale and
// writes nothing, and a second run changes nothing.
func TestClientFlags(t *testing.T) {
	src, err := os.ReadFile("testdata/ok/ok.go")
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("testdata", "_clients")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	writeFile(t, filepath.Join(dir, "ok.go"), src)
	abs, _ := filepath.Abs(dir)
	flags := []string{"-client", "api/okclient", "-ts", "ok.ts"}

	code, _, errOut := runIn(t, abs, append([]string{"-check"}, flags...)...)
	if code != 1 || !strings.Contains(errOut, "api/okclient/client.go does not exist") || !strings.Contains(errOut, "ok.ts does not exist") {
		t.Errorf("-check before generating = %d, %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(abs, "api")); err == nil {
		t.Error("-check created the client's directory")
	}
	if code, _, errOut := runIn(t, abs, flags...); code != 0 || errOut != "" {
		t.Fatalf("kkgen %q = %d, %s", flags, code, errOut)
	}
	client, err := os.ReadFile(filepath.Join(abs, "api/okclient/client.go"))
	if err != nil || !strings.Contains(string(client), "package okclient") || !strings.Contains(string(client), "func (c *Client) Hello(ctx context.Context, name string) (string, error)") {
		t.Errorf("client.go: %v\n%s", err, client)
	}
	ts, err := os.ReadFile(filepath.Join(abs, "ok.ts"))
	if err != nil || !strings.Contains(string(ts), "async hello(name: string, opts?: CallOptions): Promise<string>") {
		t.Errorf("ok.ts: %v\n%s", err, ts)
	}
	if code, _, errOut := runIn(t, abs, append([]string{"-check"}, flags...)...); code != 0 || errOut != "" {
		t.Errorf("-check after generating = %d, %s", code, errOut)
	}
	writeFile(t, filepath.Join(abs, "ok.ts"), append(ts, "// edited\n"...))
	if code, _, errOut := runIn(t, abs, append([]string{"-check"}, flags...)...); code != 1 || !strings.Contains(errOut, "ok.ts is stale") {
		t.Errorf("-check after an edit = %d, %s", code, errOut)
	}
	if code, _, errOut := runIn(t, abs, "-client", "bad-name"); code != 1 || !strings.Contains(errOut, `the directory's name "bad-name" is the client's package name`) {
		t.Errorf("-client bad-name = %d, %s", code, errOut)
	}
}
