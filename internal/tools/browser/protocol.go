package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/chromedp/chromedp"
)

// request is one line on stdin, a JSON object. Tabs are numbered from 0, the tab the
// browser starts with; "open" adds one. The operations:
//
//	{"op":"open"}                                 a new tab of the same browser; value: its number
//	{"op":"navigate","tab":0,"url":"http://…"}    load url and wait for its load event
//	{"op":"text","tab":0,"sel":"#status"}         value: the visible text of the first element matching sel
//	{"op":"eval","tab":0,"js":"1+2"}              value: the expression's result as JSON (promises awaited)
//	{"op":"wait","tab":0,"js":"(a,b)=>…","args":["x","y"]}
//	                                              call the function with args now and on every DOM
//	                                              mutation until it returns a truthy value
//	{"op":"sendKeys","tab":0,"sel":"#text","text":"hi"}  type text into the element, as keystrokes
//	{"op":"click","tab":0,"sel":"#send"}          click the element with the mouse
//	{"op":"screenshot","tab":0}                   value: a PNG of the whole page, base64
//	{"op":"close"}                                close the browser and end
//
// Every request gets one answer line, in order.
type request struct {
	Op   string `json:"op"`
	Tab  int    `json:"tab"`
	URL  string `json:"url"`
	Sel  string `json:"sel"`
	Text string `json:"text"`
	JS   string `json:"js"`
	Args []any  `json:"args"`
}

// answer is one line on stdout: {"ok":true,"value":…} or
// {"ok":false,"error":"…"}.
type answer struct {
	OK    bool            `json:"ok"`
	Value json.RawMessage `json:"value,omitempty"`
	Error string          `json:"error,omitempty"`
}

// session is one browser and its tabs, each a chromedp context.
type session struct {
	tabs    []context.Context
	cancels []context.CancelFunc
}

// errClose ends the session.
var errClose = errors.New("close")

// serve answers the requests on in, one a line, until a "close" request
// or the end of in. A line it cannot decode or perform gets an error
// answer; the session goes on.
func (s *session) serve(in io.Reader, out *json.Encoder) error {
	defer func() {
		for _, cancel := range s.cancels {
			cancel()
		}
	}()
	lines := bufio.NewScanner(in)
	lines.Buffer(nil, 16<<20)
	for lines.Scan() {
		if len(bytes.TrimSpace(lines.Bytes())) == 0 {
			continue
		}
		var req request
		var value json.RawMessage
		err := json.Unmarshal(lines.Bytes(), &req)
		if err != nil {
			err = fmt.Errorf("bad request: %w", err)
		} else {
			value, err = s.do(req)
		}
		if err == errClose {
			return out.Encode(answer{OK: true})
		}
		a := answer{OK: err == nil, Value: value}
		if err != nil {
			a.Error = err.Error()
		}
		if err := out.Encode(a); err != nil {
			return err
		}
	}
	return lines.Err()
}

// do performs one request and returns its value as JSON.
func (s *session) do(req request) (json.RawMessage, error) {
	switch req.Op {
	case "close":
		return nil, errClose
	case "open":
		if len(s.tabs) == 0 {
			return nil, errors.New("open: no browser")
		}
		ctx, cancel := chromedp.NewContext(s.tabs[0])
		if err := chromedp.Do(ctx); err != nil { // opens the tab
			cancel()
			return nil, fmt.Errorf("open: %w", err)
		}
		s.tabs = append(s.tabs, ctx)
		s.cancels = append(s.cancels, cancel)
		return json.Marshal(len(s.tabs) - 1)
	}
	action, ok := actions[req.Op]
	if !ok {
		return nil, fmt.Errorf("unknown op %q", req.Op)
	}
	if req.Tab < 0 || req.Tab >= len(s.tabs) {
		return nil, fmt.Errorf("%s: no tab %d", req.Op, req.Tab)
	}
	value, err := action(s.tabs[req.Tab], req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", req.Op, err)
	}
	return value, nil
}

// actions are the operations on one tab.
var actions = map[string]func(tab context.Context, req request) (json.RawMessage, error){
	"navigate": func(tab context.Context, req request) (json.RawMessage, error) {
		return nil, chromedp.Do(tab, chromedp.Navigate(req.URL))
	},
	"text": func(tab context.Context, req request) (json.RawMessage, error) {
		text, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(req.Sel)))
		if err != nil {
			return nil, err
		}
		return json.Marshal(text)
	},
	"eval": func(tab context.Context, req request) (json.RawMessage, error) {
		raw, err := chromedp.Run(tab, chromedp.Evaluate[[]byte](req.JS, chromedp.EvalAwaitPromise))
		if err != nil || raw == nil {
			return nil, err // undefined: no value
		}
		return json.RawMessage(raw), nil
	},
	"wait": func(tab context.Context, req request) (json.RawMessage, error) {
		// No timeout of its own: the session's deadline bounds it.
		return nil, chromedp.Do(tab, chromedp.PollFunction[chromedp.Void](req.JS,
			chromedp.WithPollingMutation(),
			chromedp.WithPollingTimeout(0),
			chromedp.WithPollingArgs(req.Args...)))
	},
	"sendKeys": func(tab context.Context, req request) (json.RawMessage, error) {
		return nil, chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS(req.Sel), req.Text))
	},
	"click": func(tab context.Context, req request) (json.RawMessage, error) {
		return nil, chromedp.Do(tab, chromedp.Click(chromedp.CSS(req.Sel)))
	},
	"screenshot": func(tab context.Context, req request) (json.RawMessage, error) {
		png, err := chromedp.Run(tab, chromedp.FullScreenshot(100)) // quality 100 makes a PNG
		if err != nil {
			return nil, err
		}
		return json.Marshal(png)
	},
}
