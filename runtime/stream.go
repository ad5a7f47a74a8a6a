package kk

import (
	"io"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// responseStream is an io.Reader result on its way to the client. fasthttp
// copies a body stream in 4 KiB reads, each its own chunk and write; this
// hands it 64 KiB at a time instead (BodyWriterTo), which is what a
// gigabyte download needs to approach memory speed. It still reads only as
// fast as the client takes the bytes: each read waits for the write before
// it, so a slow client slows the reader and nothing is read ahead beyond
// one buffer. While the client keeps taking bytes it pushes the write
// deadline forward, so the server's WriteTimeout bounds a stall, not the
// whole download.
type responseStream struct {
	r       io.Reader
	rc      *fasthttp.RequestCtx
	timeout time.Duration // the server's WriteTimeout, or 0
	armed   time.Time
	end     func() // cancels the request's context once the body is sent (Ctx.endRequest)
}

func newResponseStream(c *Ctx, r io.Reader) *responseStream {
	s := &responseStream{r: r, rc: c.RequestCtx}
	if srv := serverOf(c.RequestCtx); srv != nil {
		s.timeout = srv.WriteTimeout
	}
	return s
}

func (s *responseStream) Read(p []byte) (int, error) { return s.r.Read(p) }

// SupportsBodyWriteTo tells fasthttp that WriteTo sends what Read would.
func (s *responseStream) SupportsBodyWriteTo() bool { return true }

func (s *responseStream) WriteTo(w io.Writer) (int64, error) {
	buf := sendBufs.Get().(*[]byte)
	defer sendBufs.Put(buf)
	var total int64
	for {
		n, err := s.r.Read(*buf)
		if n > 0 {
			m, werr := w.Write((*buf)[:n])
			total += int64(m)
			if werr != nil {
				return total, werr
			}
			if s.timeout > 0 {
				s.rearm()
			}
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

func (s *responseStream) rearm() {
	now := time.Now()
	if now.Sub(s.armed) < s.timeout/4 {
		return
	}
	s.armed = now
	_ = s.rc.SetWriteDeadline(now.Add(s.timeout))
}

// sendBufs are the buffers responses are sent through: each read becomes
// one chunk, and each chunk costs fasthttp three writes (size line, data,
// CRLF), so the chunks are large.
var sendBufs = sync.Pool{New: func() any {
	b := make([]byte, 256<<10)
	return &b
}}

// Close closes the result if it is an io.Closer, then cancels the
// request's context; fasthttp calls it once the body is sent (or the
// client has gone).
func (s *responseStream) Close() error {
	if s.end != nil {
		defer s.end()
	}
	if c, ok := s.r.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
