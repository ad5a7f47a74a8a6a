package wsconn

import (
	"crypto/rand"
	"errors"
	"net"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// ErrInvalidText is the error of a text message or close reason that is
// not UTF-8: kk never sends one.
var ErrInvalidText = errors.New("text is not valid UTF-8")

// minCompress is the smallest message worth compressing: below it the
// DEFLATE overhead outweighs what it saves.
const minCompress = 64

// WriteMessage sends one data message in one frame, compressed when
// permessage-deflate was negotiated and the message is large enough.
func (c *Conn) WriteMessage(op ws.OpCode, data []byte, deadline time.Time) error {
	if op == ws.OpText && !utf8.Valid(data) {
		return ErrInvalidText
	}
	if c.flate && len(data) >= minCompress {
		z := deflate(data)
		defer z.free()
		return c.writeFrame(op, 0x4, z.b, deadline)
	}
	return c.writeFrame(op, 0, data, deadline)
}

// WriteControl sends a ping, pong or close frame (payload at most 125
// bytes).
func (c *Conn) WriteControl(op ws.OpCode, payload []byte, deadline time.Time) error {
	if len(payload) > 125 {
		return errors.New("control frame payload over 125 bytes")
	}
	return c.writeFrame(op, 0, payload, deadline)
}

// CloseFrame is the payload of a close frame with code and reason; the
// reason is made valid UTF-8 and cut to fit (123 bytes, at a code point).
func CloseFrame(code int, reason string) []byte {
	if code == CodeNoStatus {
		return nil
	}
	reason = toValidUTF8(reason)
	if len(reason) > 123 {
		reason = reason[:123]
		for !utf8.ValidString(reason) {
			reason = reason[:len(reason)-1]
		}
	}
	return append([]byte{byte(code >> 8), byte(code)}, reason...)
}

func toValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s { // invalid bytes decode as U+FFFD
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

// Prepared is a message encoded once for many connections (a broadcast):
// the frame as sent plain and, made on first need, compressed.
type Prepared struct {
	op    ws.OpCode
	data  []byte
	plain []byte
	once  sync.Once
	zip   []byte
}

// Prepare encodes data as one server frame.
func Prepare(op ws.OpCode, data []byte) (*Prepared, error) {
	if op == ws.OpText && !utf8.Valid(data) {
		return nil, ErrInvalidText
	}
	return &Prepared{op: op, data: data, plain: appendFrame(nil, op, 0, data, false)}, nil
}

func (p *Prepared) frame(compressed bool) []byte {
	if !compressed || len(p.data) < minCompress {
		return p.plain
	}
	p.once.Do(func() {
		z := deflate(p.data)
		p.zip = appendFrame(nil, p.op, 0x4, z.b, false)
		z.free()
	})
	return p.zip
}

// WritePrepared sends a prepared message (server side only).
func (c *Conn) WritePrepared(p *Prepared, deadline time.Time) error {
	if c.client {
		return c.WriteMessage(p.op, p.data, deadline)
	}
	return c.write(p.frame(c.flate), deadline, false)
}

// frameBuffers lends writes their buffer while they write, so idle
// connections hold none.
var frameBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// writeFrame sends one frame. Small frames go in one write from a pooled
// buffer; a large server frame goes as header and payload in one
// writev, without copying.
func (c *Conn) writeFrame(op ws.OpCode, rsv byte, p []byte, deadline time.Time) error {
	if !c.client && len(p) > 4096 {
		var hb [ws.MaxHeaderSize]byte
		h := appendHeader(hb[:0], op, rsv, int64(len(p)), false, [4]byte{})
		c.wmu.Lock()
		defer c.wmu.Unlock()
		if c.closeSent {
			return net.ErrClosed
		}
		_ = c.nc.SetWriteDeadline(deadline)
		bufs := net.Buffers{h, p}
		_, err := bufs.WriteTo(c.nc)
		return err
	}
	bp := frameBuffers.Get().(*[]byte)
	b := appendFrame((*bp)[:0], op, rsv, p, c.client)
	err := c.write(b, deadline, op == OpClose)
	if cap(b) <= 64<<10 {
		*bp = b[:0]
		frameBuffers.Put(bp)
	}
	return err
}

// write sends b. Once a close frame has gone out nothing more is sent
// (RFC 6455 section 5.5.1): the check and the write are under one lock,
// so no frame overtakes the close or follows it.
func (c *Conn) write(b []byte, deadline time.Time, closing bool) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.closeSent {
		return net.ErrClosed
	}
	c.closeSent = closing
	_ = c.nc.SetWriteDeadline(deadline)
	_, err := c.nc.Write(b)
	return err
}

// appendFrame appends a whole frame: header and payload, masked with a
// fresh key when masked (a client's frames).
func appendFrame(b []byte, op ws.OpCode, rsv byte, p []byte, masked bool) []byte {
	var key [4]byte
	if masked {
		_, _ = rand.Read(key[:])
	}
	b = appendHeader(b, op, rsv, int64(len(p)), masked, key)
	start := len(b)
	b = append(b, p...)
	if masked {
		ws.Cipher(b[start:], key, 0)
	}
	return b
}

func appendHeader(b []byte, op ws.OpCode, rsv byte, n int64, masked bool, key [4]byte) []byte {
	b0 := 0x80 | rsv<<4 | byte(op)
	var m byte
	if masked {
		m = 0x80
	}
	switch {
	case n < 126:
		b = append(b, b0, m|byte(n))
	case n < 1<<16:
		b = append(b, b0, m|126, byte(n>>8), byte(n))
	default:
		b = append(b, b0, m|127, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32), byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	if masked {
		b = append(b, key[:]...)
	}
	return b
}
