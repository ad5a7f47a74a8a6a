// Package source is the byte stream every server of the streams benchmark
// sends: size bytes copied from one 64 KiB block, so producing them costs
// a memcpy and the servers are what is measured.
package source

import "io"

var block = func() []byte {
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	return b
}()

// Reader is size bytes of the block, repeated.
type Reader struct {
	left int64
	off  int
}

// New is a Reader of size bytes.
func New(size int64) *Reader { return &Reader{left: size} }

func (r *Reader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n := 0
	for n < len(p) {
		m := copy(p[n:], block[r.off:])
		r.off = (r.off + m) % len(block)
		n += m
	}
	r.left -= int64(n)
	return n, nil
}
