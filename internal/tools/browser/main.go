// Command browser is a bridge to a headless Chromium for kk's browser
// tests. It starts the browser, reads one JSON request a line on stdin,
// performs it with chromedp, and writes one JSON answer a line on stdout
// (the protocol: protocol.go). It is a module of its own, so that kk's
// module, and the module graph of everyone who requires kk, carries no
// browser driver; the example's tests build it with `go build` and talk to
// it through pipes.
//
// Usage:
//
//	browser -chromium /usr/bin/chromium [-window 900x700] [-timeout 60s]
//
// The first line on stdout says whether the browser started. The bridge
// ends, and the browser with it, on a "close" request, at the end of
// stdin, or when -timeout has passed since the start.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	exe := flag.String("chromium", "", "the Chromium `executable` (empty: chromedp looks for one)")
	window := flag.String("window", "", "the window `size`, WIDTHxHEIGHT (empty: Chromium's default)")
	timeout := flag.Duration("timeout", time.Minute, "the session's deadline: every request must be answered within it")
	flag.Parse()
	if err := run(*exe, *window, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "browser:", err)
		os.Exit(1)
	}
}

// run starts the browser, announces it on stdout and serves requests until
// the session ends.
func run(exe, window string, timeout time.Duration) error {
	opts, err := flags(exe, window)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc() // waits for the browser to exit and removes its profile
	first, cancelFirst := chromedp.NewContext(actx)
	defer cancelFirst()
	out := json.NewEncoder(os.Stdout)
	if err := chromedp.Do(first); err != nil { // starts the browser
		err = fmt.Errorf("starting %s: %w", exe, err)
		_ = out.Encode(answer{Error: err.Error()})
		return err
	}
	if err := out.Encode(answer{OK: true, Value: json.RawMessage("0")}); err != nil {
		return err
	}
	s := &session{tabs: []context.Context{first}}
	return s.serve(os.Stdin, out)
}

// flags are the browser's command line: chromedp's defaults (headless, no
// first run, no background networking, no sync, shared memory in the
// temporary directory, a fresh user data directory removed once the
// browser has exited) and what the machines kk is tested on need: no
// sandbox (Chromium refuses to start as root with one, and containers
// often lack the user namespaces it needs), no GPU, no QUIC, no component
// updates, and no host name resolved but the loopback's: nothing reaches
// beyond loopback, so a page that works here works offline.
func flags(exe, window string) ([]chromedp.ExecAllocatorOption, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"),
	)
	if exe != "" {
		opts = append(opts, chromedp.ExecPath(exe))
	}
	if window != "" {
		w, h, ok := strings.Cut(window, "x")
		width, err1 := strconv.Atoi(w)
		height, err2 := strconv.Atoi(h)
		if !ok || err1 != nil || err2 != nil || width <= 0 || height <= 0 {
			return nil, fmt.Errorf("-window %q: want WIDTHxHEIGHT, such as 900x700", window)
		}
		opts = append(opts, chromedp.WindowSize(width, height))
	}
	return opts, nil
}
