// Package sse is the text/event-stream wire format (WHATWG HTML, "Server-
// sent events"): an event's fields checked and framed as the EventSource
// parser reads them, the heartbeat comment, and the HTTP/1.1 chunk each
// write goes out in. Streams, their connections and their lifetimes are
// kk's EventStream.
package sse

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Check reports why an event with these fields cannot be framed: an ID
// holding a CR, LF or NUL, an event type holding a CR or LF (either
// would end the field early), or a negative retry.
func Check(id, event string, retry time.Duration) error {
	if strings.ContainsAny(id, "\r\n\x00") {
		return fmt.Errorf("kk: event ID %q holds a line break or NUL", id)
	}
	if strings.ContainsAny(event, "\r\n") {
		return fmt.Errorf("kk: event type %q holds a line break", event)
	}
	if retry < 0 {
		return fmt.Errorf("kk: negative event retry %v", retry)
	}
	return nil
}

// AppendEvent frames an event as the WHATWG EventSource parser reads it: a
// field per line, "data: " before each line of data (split at CR, LF or
// CRLF; the parser drops exactly one space after the colon, so leading
// spaces survive), then a blank line. An event with only a retry sets the
// client's reconnection time without dispatching anything. The fields
// must have passed Check.
func AppendEvent(b []byte, id, event, data string, retry time.Duration) []byte {
	if id != "" {
		b = append(append(append(b, "id: "...), id...), '\n')
	}
	if event != "" {
		b = append(append(append(b, "event: "...), event...), '\n')
	}
	if retry > 0 {
		b = append(b, "retry: "...)
		b = strconv.AppendInt(b, retry.Milliseconds(), 10)
		b = append(b, '\n')
	}
	if data != "" || id != "" || event != "" || retry == 0 {
		for {
			i := strings.IndexAny(data, "\r\n")
			if i < 0 {
				b = append(append(append(b, "data: "...), data...), '\n')
				break
			}
			b = append(append(append(b, "data: "...), data[:i]...), '\n')
			if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			data = data[i+1:]
		}
	}
	return append(b, '\n')
}

// Ping is the heartbeat: a comment line, which clients ignore.
var Ping = []byte(": ping\n\n")

// MaxChunk is one more than the largest write AppendChunk frames.
const MaxChunk = 1 << 32

// AppendChunk frames p as one HTTP/1.1 chunk (RFC 9112 §7.1); p must be
// shorter than MaxChunk.
func AppendChunk(b, p []byte) []byte {
	b = strconv.AppendUint(b, uint64(len(p)), 16)
	return append(append(append(b, "\r\n"...), p...), "\r\n"...)
}

// LastChunk ends a chunked body: the zero-length chunk and no trailers.
var LastChunk = []byte("0\r\n\r\n")
