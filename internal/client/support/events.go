package support

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Event is one server-sent event.
type Event struct {
	ID    string        // the id field; "" when the event has none
	Event string        // the event field (its type); "" when the event has none
	Data  string        // the data lines, joined with newlines
	Retry time.Duration // the retry field, or 0
}

// JSON decodes the event's data into v.
func (e Event) JSON(v any) error { return json.Unmarshal([]byte(e.Data), v) }

// maxEvent bounds one event's size, so a stream without blank lines cannot
// take all memory.
const maxEvent = 16 << 20

// events opens the event stream rq names and yields its events. When the
// stream ends or the connection fails, it waits the reconnect delay (the
// server's latest retry field, else WithReconnectDelay's) and connects
// again with Last-Event-ID set to the last id it saw, so the server can
// resume. A connection failure is yielded before reconnecting, so a loop
// can stop on it; an error answer (an *Error) is yielded and ends the
// stream, as does a 204, ctx being done, or the loop breaking.
func (c *transport) events(ctx context.Context, rq *request) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		if rq.err != nil {
			yield(Event{}, rq.err)
			return
		}
		var st sseState
		for {
			rq.header.Set("Accept", "text/event-stream")
			if st.lastID != "" {
				rq.header.Set("Last-Event-ID", st.lastID)
			}
			resp, err := c.send(ctx, rq)
			if ctx.Err() != nil {
				if resp != nil {
					resp.Body.Close()
				}
				return
			}
			if err != nil {
				var e *Error
				if !yield(Event{}, err) || errors.As(err, &e) {
					return
				}
			} else if resp.StatusCode == http.StatusNoContent {
				resp.Body.Close()
				return
			} else {
				stop := false
				err := readEvents(resp.Body, &st, func(ev Event) bool {
					stop = !yield(ev, nil)
					return !stop
				})
				resp.Body.Close()
				if stop || ctx.Err() != nil {
					return
				}
				if err != nil && !yield(Event{}, err) {
					return
				}
			}
			delay := c.reconnect
			if st.retry > 0 {
				delay = st.retry
			}
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
	}
}

// sseState is what an event stream carries over from one connection to
// the next.
type sseState struct {
	lastID string        // the last event ID, sent again as Last-Event-ID
	retry  time.Duration // the latest retry field, or 0
}

// readEvents parses an event stream as the HTML standard's "Interpreting
// an event stream" says, updating st and calling fn for each dispatched
// event, until fn returns false, the stream ends (nil) or fails.
func readEvents(r io.Reader, st *sseState, fn func(Event) bool) error {
	br := bufio.NewReader(r)
	var (
		data    strings.Builder
		typ     string
		idBuf   = st.lastID
		retry   time.Duration
		first   = true
		size    int
		hasData bool
	)
	for {
		line, err := readLine(br)
		if err != nil {
			if err == io.EOF {
				return nil // an event not ended by a blank line is dropped
			}
			return err
		}
		if first {
			line, first = strings.TrimPrefix(line, "\ufeff"), false
		}
		if size += len(line); size > maxEvent {
			return errors.New("event stream: an event is larger than 16 MiB")
		}
		if line == "" {
			st.lastID = idBuf
			ev := Event{ID: idBuf, Event: typ, Data: strings.TrimSuffix(data.String(), "\n"), Retry: retry}
			data.Reset()
			typ, retry, size = "", 0, 0
			if !hasData {
				continue
			}
			hasData = false
			if !fn(ev) {
				return nil
			}
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			typ = value
		case "data":
			data.WriteString(value)
			data.WriteByte('\n')
			hasData = true
		case "id":
			if !strings.Contains(value, "\x00") {
				idBuf = value
			}
		case "retry":
			if n, err := strconv.ParseUint(value, 10, 63); err == nil && strings.Trim(value, "0123456789") == "" {
				retry = time.Duration(n) * time.Millisecond
				st.retry = retry
			}
		}
	}
}

// readLine reads one line ended by CRLF, LF or CR, without its end.
func readLine(br *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		c, err := br.ReadByte()
		if err != nil {
			if err == io.EOF && b.Len() > 0 {
				return "", io.ErrUnexpectedEOF
			}
			return "", err
		}
		switch c {
		case '\n':
			return b.String(), nil
		case '\r':
			if next, err := br.Peek(1); err == nil && next[0] == '\n' {
				br.ReadByte()
			}
			return b.String(), nil
		}
		b.WriteByte(c)
		if b.Len() > maxEvent {
			return "", errors.New("event stream: a line is larger than 16 MiB")
		}
	}
}
