package sse

import (
	"strings"
	"testing"
	"time"
)

// parse reads one framed event the way the WHATWG EventSource parser does
// (HTML §9.2.6): lines end at CR, LF or CRLF; a line starting with ':' is
// a comment; "field: value" loses one space after the colon; data lines
// are joined with LF.
func parse(t *testing.T, frame string) (id, event, data, retry string, dispatched bool) {
	t.Helper()
	if !strings.HasSuffix(frame, "\n\n") {
		t.Fatalf("frame %q does not end with a blank line", frame)
	}
	var datas []string
	for _, line := range strings.Split(strings.TrimSuffix(frame, "\n\n"), "\n") {
		if strings.ContainsRune(line, '\r') {
			t.Fatalf("frame %q: a CR inside a line would split it", frame)
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "id":
			id = value
		case "event":
			event = value
		case "retry":
			retry = value
		case "data":
			datas = append(datas, value)
		}
	}
	return id, event, strings.Join(datas, "\n"), retry, datas != nil
}

func TestAppendEvent(t *testing.T) {
	for _, tc := range []struct {
		id, event, data string
		retry           time.Duration
		wantData        string
		wantRetry       string
		dispatched      bool
	}{
		{data: "hello", wantData: "hello", dispatched: true},
		{data: "", wantData: "", dispatched: true}, // an empty message is still one
		{data: "a\nb\r\nc\rd", wantData: "a\nb\nc\nd", dispatched: true},
		{data: "  lead", wantData: "  lead", dispatched: true},
		{data: "trailing\n", wantData: "trailing\n", dispatched: true},
		{id: "7", event: "update", data: "x", wantData: "x", dispatched: true},
		{retry: 1500 * time.Millisecond, wantRetry: "1500"}, // retry alone dispatches nothing
		{retry: time.Second, data: "x", wantData: "x", wantRetry: "1000", dispatched: true},
	} {
		frame := string(AppendEvent(nil, tc.id, tc.event, tc.data, tc.retry))
		id, event, data, retry, dispatched := parse(t, frame)
		if id != tc.id || event != tc.event || data != tc.wantData || retry != tc.wantRetry || dispatched != tc.dispatched {
			t.Errorf("AppendEvent(%q, %q, %q, %v) = %q: read back as id %q event %q data %q retry %q dispatched %v",
				tc.id, tc.event, tc.data, tc.retry, frame, id, event, data, retry, dispatched)
		}
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		id, event string
		retry     time.Duration
		ok        bool
	}{
		{"1", "message", time.Second, true},
		{"a\nb", "", 0, false},
		{"a\rb", "", 0, false},
		{"a\x00b", "", 0, false},
		{"", "up\ndate", 0, false},
		{"", "", -time.Millisecond, false},
	} {
		if err := Check(tc.id, tc.event, tc.retry); (err == nil) != tc.ok {
			t.Errorf("Check(%q, %q, %v) = %v; want ok %v", tc.id, tc.event, tc.retry, err, tc.ok)
		}
	}
}

func TestAppendChunk(t *testing.T) {
	p := []byte(strings.Repeat("x", 300))
	if got := string(AppendChunk(nil, p)); got != "12c\r\n"+string(p)+"\r\n" {
		t.Errorf("AppendChunk of 300 bytes starts %q, ends %q; want 12c CRLF, the bytes, CRLF", got[:5], got[len(got)-2:])
	}
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(100, func() { buf = AppendEvent(buf[:0], "1", "e", "a\nb", time.Second) }); n != 0 {
		t.Errorf("AppendEvent into a large enough buffer allocates %v times", n)
	}
}
