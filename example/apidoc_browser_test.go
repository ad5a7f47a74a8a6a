package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestAPIReferenceInBrowser opens /api-docs/ in headless Chromium that can
// resolve no host but the loopback (the bridge's flags), and checks that
// Redoc, embedded in the binary, renders the embedded document: the API's
// title and an operation's summary (its handler's doc comment) appear on
// the page.
func TestAPIReferenceInBrowser(t *testing.T) {
	chromium(t)
	base := loopbackServer(t)
	b := startBrowser(t, 1200, 900, 60*time.Second)
	tab := b.tab()
	if err := tab.navigate(base + "/api-docs/"); err != nil {
		t.Fatalf("opening the API reference: %v\n%s", err, b.log())
	}
	for _, want := range []string{"kk example", "Healthz answers 204 while the server is up."} {
		if err := tab.waitText("body", want); err != nil {
			t.Fatalf("the API reference did not render: %v\n%s", err, b.log())
		}
	}
	png, err := tab.screenshot() // the whole page: title, menu, operations
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(artifactDir(t), "api-reference.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
}
