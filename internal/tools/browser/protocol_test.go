package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestServeAnswersEveryLine checks the protocol's framing without a
// browser: every non-blank line gets one answer, in order; a line that is
// not a request, an unknown op or a missing tab gets an error answer and
// the session goes on; "close" ends it, and what follows is not read. The
// example's browser tests drive every operation against Chromium.
func TestServeAnswersEveryLine(t *testing.T) {
	in := strings.Join([]string{
		`not json`,
		``,
		`{"op":"fly","tab":0}`,
		`{"op":"text","tab":3,"sel":"#x"}`,
		`{"op":"navigate","tab":-1,"url":"http://127.0.0.1/"}`,
		`{"op":"open"}`,
		`{"op":"close"}`,
		`{"op":"fly"}`,
	}, "\n")
	var out bytes.Buffer
	s := &session{}
	if err := s.serve(strings.NewReader(in), json.NewEncoder(&out)); err != nil {
		t.Fatalf("serve: %v", err)
	}
	want := []answer{
		{Error: "bad request: invalid character 'o' in literal null (expecting 'u')"},
		{Error: `unknown op "fly"`},
		{Error: "text: no tab 3"},
		{Error: "navigate: no tab -1"},
		{Error: "open: no browser"},
		{OK: true},
	}
	dec := json.NewDecoder(&out)
	for i, w := range want {
		var got answer
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
		if got.OK != w.OK || got.Error != w.Error || got.Value != nil {
			t.Errorf("answer %d: %+v; want %+v", i, got, w)
		}
	}
	if dec.More() {
		t.Errorf("answers after close: %s", out.String())
	}
}
