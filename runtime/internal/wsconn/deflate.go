package wsconn

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"sync"

	"github.com/klauspost/compress/flate"
)

// tail ends every permessage-deflate message (RFC 7692 section 7.2.2):
// the 00 00 ff ff the sender removed, then an empty final stored block,
// so the inflater reports io.EOF at the message's end.
var tail = []byte{0x00, 0x00, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff}

// inflater inflates one message. Inflaters are pooled (their window is
// 32 KiB): no context takeover, so nothing of one message is kept for the
// next, and an idle connection holds none.
type inflater struct {
	src  io.Reader
	tail *bytes.Reader
	br   *bufio.Reader
	fr   io.ReadCloser
}

var inflaters sync.Pool

func getInflater(src io.Reader) *inflater {
	f, _ := inflaters.Get().(*inflater)
	if f == nil {
		f = &inflater{tail: bytes.NewReader(tail), br: bufio.NewReaderSize(nil, 4096)}
	}
	f.src = src
	f.tail.Reset(tail)
	f.br.Reset(io.MultiReader(f.src, f.tail))
	if f.fr == nil {
		f.fr = flate.NewReader(f.br)
	} else {
		_ = f.fr.(flate.Resetter).Reset(f.br, nil)
	}
	return f
}

func putInflater(f *inflater) {
	f.src = nil
	inflaters.Put(f)
}

func (f *inflater) Read(p []byte) (int, error) { return f.fr.Read(p) }

// inflateFailed reports whether err is the inflater's own (corrupt or
// truncated data), not the connection's or the protocol's.
func inflateFailed(err error) bool {
	var ce flate.CorruptInputError
	var ie flate.InternalError
	var pe *ProtocolError
	var pc *PeerClose
	switch {
	case errors.As(err, &pe), errors.As(err, &pc):
		return false
	case errors.As(err, &ce), errors.As(err, &ie), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	}
	return false
}

// compressed is a message deflated into a pooled buffer.
type compressed struct {
	b   []byte
	buf *bytes.Buffer
}

var (
	deflaters   sync.Pool
	deflateBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

// deflate compresses data as one message: a raw DEFLATE stream,
// sync-flushed, without the trailing 00 00 ff ff (RFC 7692 section
// 7.2.1), from a fresh window (no context takeover).
func deflate(data []byte) compressed {
	buf := deflateBufs.Get().(*bytes.Buffer)
	buf.Reset()
	w, _ := deflaters.Get().(*flate.Writer)
	if w == nil {
		w, _ = flate.NewWriter(buf, flate.BestSpeed)
	} else {
		w.Reset(buf)
	}
	_, _ = w.Write(data)
	_ = w.Flush()
	deflaters.Put(w)
	b := bytes.TrimSuffix(buf.Bytes(), []byte{0x00, 0x00, 0xff, 0xff})
	if len(b) == 0 {
		b = append(b, 0x00) // an empty stored block: a message of nothing
	}
	return compressed{b: b, buf: buf}
}

func (z compressed) free() {
	if z.buf.Cap() <= 256<<10 {
		deflateBufs.Put(z.buf)
	}
}
