package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds a Chromium to drive: $CHROMIUM, else Debian's chromium
// or Google Chrome on the PATH. In CI (CI=true) a missing browser fails the
// test rather than skipping it: .ci/run installs one.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium found (install Debian's chromium, or set CHROMIUM); the browser test must run in CI")
	}
	t.Skip("no Chromium on this machine (apt-get install chromium, or set CHROMIUM)")
	return ""
}

// artifactDir is where the test keeps its screenshot: $KK_ARTIFACTS, else
// a kk-artifacts directory in the system's temporary directory, never the
// repository.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("KK_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "kk-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestChatInBrowser opens the chat page in two headless Chromium tabs in
// the same room and checks, on each page's DOM, that each sees what the
// other says.
func TestChatInBrowser(t *testing.T) {
	exe := chromium(t)
	base := loopbackServer(t)
	// A fresh profile, removed once the browser is gone (t.TempDir's check
	// races Chromium's last writes).
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
		chromedp.WindowSize(900, 700),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ann, cancelAnn := chromedp.NewContext(actx)
	defer cancelAnn()
	if err := chromedp.Do(ann); err != nil { // starts the browser
		t.Fatalf("starting %s: %v", exe, err)
	}
	bob, cancelBob := chromedp.NewContext(ann) // a second tab of the same browser
	defer cancelBob()

	room := base + "/chat?room=browser&name="
	for _, tab := range []struct {
		ctx  context.Context
		name string
	}{{ann, "ann"}, {bob, "bob"}} {
		if err := chromedp.Do(tab.ctx,
			chromedp.Navigate(room+tab.name),
			waitText("#status", "connected"),
		); err != nil {
			t.Fatalf("%s: opening the chat: %v", tab.name, err)
		}
	}
	say := func(ctx context.Context, text string) error {
		return chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.CSS("#text"), text),
			chromedp.Click(chromedp.CSS("#send")),
		)
	}
	if err := say(ann, "hello from ann"); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bob, waitText("#messages", "ann:hello from ann")); err != nil {
		t.Fatalf("bob's page never showed ann's message: %v", err)
	}
	if err := say(bob, "hi ann, bob here"); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ann, waitText("#messages", "bob:hi ann, bob here")); err != nil {
		t.Fatalf("ann's page never showed bob's message: %v", err)
	}
	annSaw, err := chromedp.Run(ann, chromedp.Text(chromedp.CSS("#messages")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ann joined", "bob joined", "ann:hello from ann", "bob:hi ann, bob here"} {
		if !strings.Contains(annSaw, want) {
			t.Errorf("ann's page lacks %q:\n%s", want, annSaw)
		}
	}
	png, err := chromedp.Run(ann, chromedp.FullScreenshot(100)) // quality 100 makes a PNG
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(artifactDir(t), "chat.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
}

// waitText waits until the text of the element matching sel contains want.
func waitText(sel, want string) chromedp.Action[chromedp.Void] {
	text := chromedp.Text(chromedp.CSS(sel))
	return func(ctx context.Context, tab *chromedp.Target) (chromedp.Void, error) {
		for {
			got, err := text(ctx, tab)
			if err != nil {
				return chromedp.Void{}, err
			}
			if strings.Contains(strings.ReplaceAll(got, ": ", ":"), want) {
				return chromedp.Void{}, nil
			}
			select {
			case <-ctx.Done():
				return chromedp.Void{}, ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}
