package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestChatInBrowser opens the chat page in two headless Chromium tabs in
// the same room and checks, on each page's DOM, that each sees what the
// other says.
func TestChatInBrowser(t *testing.T) {
	base := loopbackServer(t)
	br := startBrowser(t, 900, 700, 60*time.Second) // closed before the server stops
	ann := br.tab()
	bob, err := br.open() // a second tab of the same browser
	if err != nil {
		t.Fatalf("opening a second tab: %v", err)
	}

	room := base + "/chat?room=browser&name="
	for _, user := range []struct {
		tab  *tab
		name string
	}{{ann, "ann"}, {bob, "bob"}} {
		if err := user.tab.navigate(room + user.name); err != nil {
			t.Fatalf("%s: opening the chat: %v", user.name, err)
		}
		if err := user.tab.waitText("#status", "connected"); err != nil {
			t.Fatalf("%s: opening the chat: %v", user.name, err)
		}
	}
	say := func(tb *tab, text string) error {
		if err := tb.sendKeys("#text", text); err != nil {
			return err
		}
		return tb.click("#send")
	}
	if err := say(ann, "hello from ann"); err != nil {
		t.Fatal(err)
	}
	if err := bob.waitText("#messages", "ann:hello from ann"); err != nil {
		t.Fatalf("bob's page never showed ann's message: %v", err)
	}
	if err := say(bob, "hi ann, bob here"); err != nil {
		t.Fatal(err)
	}
	if err := ann.waitText("#messages", "bob:hi ann, bob here"); err != nil {
		t.Fatalf("ann's page never showed bob's message: %v", err)
	}
	annSaw, err := ann.text("#messages")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ann joined", "bob joined", "ann:hello from ann", "bob:hi ann, bob here"} {
		if !strings.Contains(annSaw, want) {
			t.Errorf("ann's page lacks %q:\n%s", want, annSaw)
		}
	}
	png, err := ann.screenshot()
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(artifactDir(t), "chat.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
}
