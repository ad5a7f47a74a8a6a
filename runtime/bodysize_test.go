package kk_test

import (
	"bytes"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// spyReader yields n bytes of 'x' and counts the bytes read from it.
type spyReader struct {
	left int64
	read atomic.Int64
}

func (s *spyReader) Read(p []byte) (int, error) {
	if s.left <= 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), s.left))
	for i := range p[:n] {
		p[i] = 'x'
	}
	s.left -= int64(n)
	s.read.Add(int64(n))
	return n, nil
}

// TestAccessLogReadsNoStream: an io.Reader result and a streamed request
// body pass through AccessLog unread. The outermost middleware swaps the
// request's body for a spy and checks, once AccessLog and the chain have
// returned, that neither spy was read: a read there would buffer the
// whole body in memory before a byte reached the client. The client then
// gets every byte; the line has the size of a body whose length is known,
// and none for a stream without one.
func TestAccessLogReadsNoStream(t *testing.T) {
	const size = 8 << 20
	for _, known := range []bool{true, false} {
		var resp, req *spyReader
		routes := []kk.Route{{Method: "POST", Pattern: "/stream", Name: "Stream", StreamBody: true, BodyLimit: 1 << 30, Handler: func(c *kk.Ctx) error {
			resp = &spyReader{left: size}
			if known {
				return kk.Stream(c, &io.LimitedReader{R: resp, N: size}) // Content-Length
			}
			return kk.Stream(c, resp)
		}}}
		r := kk.New(kk.Table{Routes: routes, Methods: []string{"POST"}, Match: func(m string, p []byte, _ *kk.Params) int {
			if m == "POST" && string(p) == "/stream" {
				return 0
			}
			return -1
		}})
		var log bytes.Buffer
		r.Use(func(next kk.Handler) kk.Handler {
			return func(c *kk.Ctx) error {
				req = &spyReader{left: size}
				c.Request.SetBodyStream(req, size)
				err := next(c)
				if n := req.read.Load(); n > 0 {
					t.Errorf("known length %v: %d bytes of the request's body stream read after the chain", known, n)
				}
				if resp == nil {
					t.Error("handler did not run")
				} else if n := resp.read.Load(); n > 0 {
					t.Errorf("known length %v: %d bytes of the response's stream read before it was sent", known, n)
				}
				return err
			}
		}, kk.AccessLog(slog.New(slog.NewTextHandler(&log, nil))))
		s := kktest.NewServer(t, r)
		res, err := s.Client().Post(s.URL+"/stream", "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if n != size {
			t.Errorf("known length %v: client got %d bytes, want %d", known, n, size)
		}
		line := log.String()
		if want := "bytes=8388608"; known != strings.Contains(line, want) {
			t.Errorf("known length %v: line %q; %q in it: %v", known, line, want, !known)
		}
		s.Close()
	}
}
