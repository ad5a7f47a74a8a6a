package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The browser tests drive headless Chromium through the bridge in
// internal/tools/browser, a module of its own: it requires chromedp so
// that kk's module does not. startBrowser builds the bridge with the go
// command, starts it, and speaks its line protocol (JSON requests on its
// stdin, JSON answers on its stdout; internal/tools/browser/protocol.go).

// bridgeDir is the bridge's module, from the example's directory, where
// go test runs the example's tests.
var bridgeDir = filepath.Join("..", "internal", "tools", "browser")

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

// buildBridge builds the bridge into the test's temporary directory.
func buildBridge(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "browser")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = bridgeDir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the browser bridge in %s: %v\n%s", bridgeDir, err, out)
	}
	return bin
}

// browser is one headless Chromium behind the bridge. The bridge answers
// one request at a time; mu keeps each request with its answer.
type browser struct {
	t       *testing.T
	cmd     *exec.Cmd
	in      io.WriteCloser
	out     *json.Decoder
	stderr  *syncBuffer // what the bridge writes on stderr
	mu      sync.Mutex
	started bool // the bridge said the browser started
}

// tab is one tab of the browser; tab 0 is open from the start.
type tab struct {
	b  *browser
	id int
}

// startBrowser starts Chromium (skipping or failing as chromium says when
// there is none) with a window of width×height (0×0: Chromium's default).
// Every operation must end within timeout of the start; the browser is
// closed at cleanup.
func startBrowser(t *testing.T, width, height int, timeout time.Duration) *browser {
	t.Helper()
	exe := chromium(t)
	bin := buildBridge(t)
	args := []string{"-chromium", exe, "-timeout", timeout.String()}
	if width > 0 && height > 0 {
		args = append(args, "-window", fmt.Sprintf("%dx%d", width, height))
	}
	b := &browser{t: t, cmd: exec.Command(bin, args...), stderr: &syncBuffer{}}
	b.cmd.Stderr = b.stderr
	var err error
	if b.in, err = b.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := b.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	b.out = json.NewDecoder(stdout)
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.close)
	if err := b.answer(nil); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	b.started = true
	return b
}

// close asks the bridge to close the browser and waits for both to exit.
func (b *browser) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = json.NewEncoder(b.in).Encode(map[string]string{"op": "close"})
	b.in.Close() // the bridge ends at the end of its input too
	done := make(chan error, 1)
	go func() { done <- b.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil && b.started {
			b.t.Errorf("browser bridge: %v\n%s", err, b.log())
		}
	case <-time.After(15 * time.Second):
		b.t.Errorf("the browser bridge did not exit; killing it\n%s", b.log())
		_ = b.cmd.Process.Kill()
		<-done
	}
}

// request is one request of the bridge's protocol.
type request struct {
	Op   string `json:"op"`
	Tab  int    `json:"tab"`
	URL  string `json:"url,omitempty"`
	Sel  string `json:"sel,omitempty"`
	Text string `json:"text,omitempty"`
	JS   string `json:"js,omitempty"`
	Args []any  `json:"args,omitempty"`
}

// call sends req and decodes the answer's value into value (nil: none).
func (b *browser) call(req request, value any) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := json.NewEncoder(b.in).Encode(req); err != nil {
		return fmt.Errorf("%s: sending to the bridge: %w\n%s", req.Op, err, b.log())
	}
	return b.answer(value)
}

// answer reads one answer line.
func (b *browser) answer(value any) error {
	var a struct {
		OK    bool
		Value json.RawMessage
		Error string
	}
	if err := b.out.Decode(&a); err != nil {
		return fmt.Errorf("reading from the bridge: %w\n%s", err, b.log())
	}
	if !a.OK {
		return errors.New(a.Error)
	}
	if value != nil {
		if err := json.Unmarshal(a.Value, value); err != nil {
			return fmt.Errorf("decoding %s: %w", a.Value, err)
		}
	}
	return nil
}

// tab returns tab 0, the one the browser starts with.
func (b *browser) tab() *tab { return &tab{b: b} }

// open opens another tab of the same browser.
func (b *browser) open() (*tab, error) {
	var id int
	if err := b.call(request{Op: "open"}, &id); err != nil {
		return nil, err
	}
	return &tab{b: b, id: id}, nil
}

// navigate loads url and waits for its load event.
func (tb *tab) navigate(url string) error {
	return tb.b.call(request{Op: "navigate", Tab: tb.id, URL: url}, nil)
}

// text is the visible text of the first element matching the CSS
// selector sel.
func (tb *tab) text(sel string) (string, error) {
	var s string
	err := tb.b.call(request{Op: "text", Tab: tb.id, Sel: sel}, &s)
	return s, err
}

// eval evaluates the JavaScript expression js and decodes its result
// into value.
func (tb *tab) eval(js string, value any) error {
	return tb.b.call(request{Op: "eval", Tab: tb.id, JS: js}, value)
}

// visibleTextContains is a page function: whether the visible text of the
// first element matching sel, with ": " read as ":", contains want.
const visibleTextContains = `(sel, want) => {
	const el = document.querySelector(sel);
	if (!el || !(el.offsetWidth || el.offsetHeight || el.getClientRects().length)) return false;
	return el.innerText.replaceAll(": ", ":").includes(want);
}`

// waitText waits until the visible text of the element matching sel
// contains want (": " read as ":"). The page checks on every change of
// its DOM, so the wait ends as soon as the text is there.
func (tb *tab) waitText(sel, want string) error {
	err := tb.b.call(request{Op: "wait", Tab: tb.id, JS: visibleTextContains, Args: []any{sel, want}}, nil)
	if err != nil {
		return fmt.Errorf("waiting for %q in %s: %w", want, sel, err)
	}
	return nil
}

// sendKeys types text into the element matching sel, as keystrokes.
func (tb *tab) sendKeys(sel, text string) error {
	return tb.b.call(request{Op: "sendKeys", Tab: tb.id, Sel: sel, Text: text}, nil)
}

// click clicks the element matching sel with the mouse.
func (tb *tab) click(sel string) error {
	return tb.b.call(request{Op: "click", Tab: tb.id, Sel: sel}, nil)
}

// screenshot is a PNG of the whole page.
func (tb *tab) screenshot() ([]byte, error) {
	var png []byte
	err := tb.b.call(request{Op: "screenshot", Tab: tb.id}, &png)
	return png, err
}

// log is what the bridge wrote on stderr, for error messages.
func (b *browser) log() string {
	if s := b.stderr.String(); s != "" {
		return "the bridge's stderr:\n" + s
	}
	return ""
}
