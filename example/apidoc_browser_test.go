package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestAPIReferenceInBrowser opens /api-docs/ in headless Chromium that can
// resolve no host but the loopback, and checks that Redoc, embedded in the
// binary, renders the embedded document: the API's title and an
// operation's summary (its handler's doc comment) appear on the page.
func TestAPIReferenceInBrowser(t *testing.T) {
	exe := chromium(t)
	base := loopbackServer(t)
	profile, err := os.MkdirTemp("", "kk-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(profile)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Offline but for the server under test.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.WindowSize(1200, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(actx)
	defer cancelTab()
	if err := chromedp.Do(tab,
		chromedp.Navigate(base+"/api-docs/"),
		waitText("body", "kk example"),
		waitText("body", "Healthz answers 204 while the server is up."),
	); err != nil {
		t.Fatalf("the API reference did not render: %v", err)
	}
	png, err := chromedp.Run(tab, chromedp.CaptureScreenshot()) // the first screen: title, menu, first operations
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(artifactDir(t), "api-reference.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
}
