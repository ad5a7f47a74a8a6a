// Package wsconn is the WebSocket protocol itself, RFC 6455 framing and
// RFC 7692 permessage-deflate, on a connection that is already upgraded:
// it reads whole messages, checking every frame as it comes (reserved
// bits and opcodes, masking, fragmentation, control frame rules, close
// payloads, UTF-8 of text as each byte arrives, the read limit after
// inflation), and writes frames. It decides what a violation's close
// code is; what to do about it (send the close, wait for the peer's) is
// the caller's, package kk's WebSocket.
//
// Frame headers are decoded and masks applied by github.com/gobwas/ws;
// DEFLATE is github.com/klauspost/compress/flate.
package wsconn

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// Close codes (RFC 6455 section 7.4.1).
const (
	CodeNormal      = 1000
	CodeGoingAway   = 1001
	CodeProtocol    = 1002
	CodeNoStatus    = 1005 // never sent: a close frame without payload
	CodeAbnormal    = 1006 // never sent: no close frame at all
	CodeInvalidData = 1007
	CodeTooBig      = 1009
	CodeInternal    = 1011
)

// ProtocolError is a violation by the peer: the connection must be
// failed with Code (1002, 1007 or 1009).
type ProtocolError struct {
	Code   int
	Reason string
}

func (e *ProtocolError) Error() string { return e.Reason }

// PeerClose is the peer's valid close frame. Code is CodeNoStatus when
// the frame had no payload.
type PeerClose struct {
	Code   int
	Reason string
}

func (e *PeerClose) Error() string { return "websocket: the peer closed" }

func protocol(reason string) error { return &ProtocolError{CodeProtocol, reason} }

// Conn is one upgraded connection. Reads are for one goroutine; writes
// are serialised inside.
type Conn struct {
	nc     net.Conn
	br     *bufio.Reader
	client bool // mask what we send; the peer must not mask
	flate  bool // permessage-deflate negotiated
	limit  int64

	// OnPing and OnPong are called on the reading goroutine for each ping
	// (with its payload, valid until the call returns) and pong.
	OnPing func(payload []byte)
	OnPong func()

	// read state
	hbuf     [ws.MaxHeaderSize]byte
	ctl      [125]byte
	inMsg    bool  // a fragmented data message is in progress
	fin      bool  // the current data frame is its message's last
	left     int64 // unread payload bytes of the current data frame
	mask     [4]byte
	masked   bool
	pos      int   // bytes of the current frame unmasked so far
	wire     int64 // payload bytes of the current message on the wire
	wireMax  int64 // the most wire bytes a message may take
	deflated bool  // the current message is compressed
	lost     bool  // a frame's length could not be read: frames cannot be found any more

	wmu       sync.Mutex
	closeSent bool // a close frame went out; guarded by wmu
}

// New wraps nc, already upgraded. early holds bytes read past the
// handshake (frames sent with it). limit is the largest message, in bytes
// after inflation.
func New(nc net.Conn, early []byte, client, deflate bool, limit int64) *Conn {
	src := io.Reader(nc)
	if len(early) > 0 {
		src = io.MultiReader(bytesReader(early), nc)
	}
	c := &Conn{nc: nc, br: bufio.NewReaderSize(src, 256), client: client, flate: deflate, limit: limit}
	c.wireMax = limit
	if deflate {
		// Deflate can grow incompressible data a little; the real limit
		// applies after inflation.
		c.wireMax = limit + limit/32 + 1024
	}
	return c
}

// NetConn is the connection under c.
func (c *Conn) NetConn() net.Conn { return c.nc }

// header reads and checks the next frame header. After a violation the
// frame's payload is left to skip (AwaitClose), or, when its length
// cannot be read, the framing is marked lost.
func (c *Conn) header() (ws.Header, error) {
	h, err := ws.ReadHeaderBuffer(c.br, c.hbuf[:2:ws.MaxHeaderSize-2])
	switch {
	case errors.Is(err, ws.ErrHeaderLengthMSB):
		c.lost = true
		return h, protocol("64-bit payload length with the most significant bit set")
	case err != nil:
		return h, err
	}
	err = c.check(h)
	if err != nil {
		c.left = h.Length
	}
	return h, err
}

func (c *Conn) check(h ws.Header) error {
	switch {
	case h.Rsv&^0x4 != 0:
		return protocol("RSV2 or RSV3 set")
	case h.Rsv != 0 && !c.flate:
		return protocol("RSV1 set without permessage-deflate")
	case h.Rsv != 0 && (h.OpCode.IsControl() || h.OpCode == ws.OpContinuation):
		return protocol("RSV1 set on a control or continuation frame")
	case h.OpCode.IsReserved():
		return protocol("reserved opcode")
	case h.Masked == c.client:
		if c.client {
			return protocol("masked frame from the server")
		}
		return protocol("unmasked frame from the client")
	case h.OpCode.IsControl() && !h.Fin:
		return protocol("fragmented control frame")
	case h.OpCode.IsControl() && h.Length > 125:
		return protocol("control frame payload over 125 bytes")
	case h.OpCode == ws.OpContinuation && !c.inMsg:
		return protocol("continuation frame with no message to continue")
	case h.OpCode.IsData() && h.OpCode != ws.OpContinuation && c.inMsg:
		return protocol("new data message inside a fragmented one")
	}
	return nil
}

// nextData reads frames until the next data frame of a message, handling
// the control frames on the way. first: a new message is wanted.
func (c *Conn) nextData() (ws.OpCode, error) {
	for {
		h, err := c.header()
		if err != nil {
			return 0, err
		}
		if h.OpCode.IsControl() {
			if err := c.control(h); err != nil {
				return 0, err
			}
			continue
		}
		if h.OpCode != ws.OpContinuation {
			c.wire, c.deflated = 0, h.Rsv != 0
		}
		c.wire += h.Length
		if c.wire > c.wireMax {
			c.left = h.Length
			return 0, &ProtocolError{CodeTooBig, "message too big"}
		}
		c.inMsg, c.fin, c.left = !h.Fin, h.Fin, h.Length
		c.mask, c.masked, c.pos = h.Mask, h.Masked, 0
		return h.OpCode, nil
	}
}

// control reads a control frame's payload and acts on it.
func (c *Conn) control(h ws.Header) error {
	p := c.ctl[:h.Length]
	if _, err := io.ReadFull(c.br, p); err != nil {
		return err
	}
	if h.Masked {
		ws.Cipher(p, h.Mask, 0)
	}
	switch h.OpCode {
	case ws.OpPing:
		if c.OnPing != nil {
			c.OnPing(p)
		}
	case ws.OpPong:
		if c.OnPong != nil {
			c.OnPong()
		}
	case ws.OpClose:
		return closePayload(p)
	}
	return nil
}

// closePayload checks a close frame's payload (RFC 6455 section 5.5.1).
func closePayload(p []byte) error {
	switch {
	case len(p) == 0:
		return &PeerClose{Code: CodeNoStatus}
	case len(p) == 1:
		return protocol("close frame with a 1-byte payload")
	}
	code := int(binary.BigEndian.Uint16(p))
	if !ReceivableCode(code) {
		return protocol("invalid close code")
	}
	if !utf8.Valid(p[2:]) {
		return &ProtocolError{CodeInvalidData, "close reason is not UTF-8"}
	}
	return &PeerClose{Code: code, Reason: string(p[2:])}
}

// ReceivableCode reports whether a close frame may carry code: the codes
// RFC 6455 and the IANA registry define for use on the wire (1000-1003,
// 1007-1014) and the ranges for libraries and applications (3000-4999).
func ReceivableCode(code int) bool {
	switch {
	case code >= 3000 && code <= 4999:
		return true
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1014:
		return true
	}
	return false
}

// payload is the io.Reader of the current message's payload bytes, across
// its frames, unmasked.
type payload struct{ c *Conn }

func (p payload) Read(b []byte) (int, error) {
	c := p.c
	for c.left == 0 {
		if c.fin {
			return 0, io.EOF
		}
		if _, err := c.nextData(); err != nil {
			return 0, err
		}
	}
	if int64(len(b)) > c.left {
		b = b[:c.left]
	}
	n, err := c.br.Read(b)
	if c.masked {
		ws.Cipher(b[:n], c.mask, c.pos)
	}
	c.pos += n
	c.left -= int64(n)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// ReadMessage reads the next data message, answering control frames on
// the way (OnPing, OnPong). It fails with a *ProtocolError when the peer
// broke the protocol, a *PeerClose when the peer's close frame came, or
// the connection's own error.
func (c *Conn) ReadMessage(buf []byte) (op ws.OpCode, data []byte, err error) {
	op, err = c.nextData()
	if err != nil {
		return 0, nil, err
	}
	var src io.Reader = payload{c}
	var inf *inflater
	if c.deflated {
		inf = getInflater(src)
		defer putInflater(inf)
		src = inf
	}
	var text utf8Stream
	data = buf[:0]
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, rerr := src.Read(data[len(data):cap(data)])
		if op == ws.OpText && !text.write(data[len(data):len(data)+n]) {
			return 0, nil, &ProtocolError{CodeInvalidData, "text message is not UTF-8"}
		}
		data = data[:len(data)+n]
		if int64(len(data)) > c.limit {
			return 0, nil, &ProtocolError{CodeTooBig, "message too big"}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			if inf != nil && inflateFailed(rerr) {
				return 0, nil, &ProtocolError{CodeInvalidData, "corrupt DEFLATE data"}
			}
			return 0, nil, rerr
		}
	}
	if op == ws.OpText && !text.end() {
		return 0, nil, &ProtocolError{CodeInvalidData, "text message ends inside a code point"}
	}
	if inf != nil {
		// A DEFLATE stream may end (BFINAL) before the message does:
		// what follows is ignored, but read.
		if _, err := io.Copy(io.Discard, payload{c}); err != nil {
			return 0, nil, err
		}
	}
	return op, data, nil
}

// AwaitClose discards what the peer sends until its close frame, after a
// close of ours: the rest of the current frame, then whole frames. It
// returns the peer's close (nil if the frames stopped making sense) or
// the connection's error.
func (c *Conn) AwaitClose() (*PeerClose, error) {
	if c.lost {
		_, err := io.Copy(io.Discard, c.br)
		return nil, err
	}
	if _, err := c.br.Discard(int(c.left)); err != nil {
		return nil, err
	}
	c.left, c.inMsg = 0, false
	for {
		h, err := ws.ReadHeaderBuffer(c.br, c.hbuf[:2:ws.MaxHeaderSize-2])
		if err != nil {
			return nil, err
		}
		if h.OpCode == ws.OpClose && h.Length <= 125 {
			p := c.ctl[:h.Length]
			if _, err := io.ReadFull(c.br, p); err != nil {
				return nil, err
			}
			if h.Masked {
				ws.Cipher(p, h.Mask, 0)
			}
			pc, _ := closePayload(p).(*PeerClose)
			if pc == nil {
				pc = &PeerClose{Code: CodeNoStatus}
			}
			return pc, nil
		}
		if _, err := c.br.Discard(int(h.Length)); err != nil {
			return nil, err
		}
	}
}

type bytesReaderT struct {
	b []byte
}

func bytesReader(b []byte) *bytesReaderT { return &bytesReaderT{b} }

func (r *bytesReaderT) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// OpCode is a frame's opcode.
type OpCode = ws.OpCode

// The opcodes package kk uses.
const (
	OpText   = ws.OpText
	OpBinary = ws.OpBinary
	OpClose  = ws.OpClose
	OpPing   = ws.OpPing
	OpPong   = ws.OpPong
)
