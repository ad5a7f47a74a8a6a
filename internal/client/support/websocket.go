package support

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"
)

// MessageKind is a WebSocket message's type.
type MessageKind int

// The kinds of data message (RFC 6455, 5.6).
const (
	TextMessage   MessageKind = 1
	BinaryMessage MessageKind = 2
)

// CloseError is a connection the peer closed with a code other than 1000
// (normal) or 1001 (going away), or that this side closed for a protocol
// error.
type CloseError struct {
	Code   int
	Reason string
}

func (e *CloseError) Error() string {
	return fmt.Sprintf("websocket: closed with %d %s", e.Code, e.Reason)
}

// WebSocket is a client connection of a WebSocket route: RFC 6455 without
// extensions, over the connection net/http hands back after the upgrade.
// One goroutine may read while others write: writes are serialized.
type WebSocket struct {
	conn      io.ReadWriteCloser
	br        *bufio.Reader
	wmu       sync.Mutex
	closeOnce sync.Once
	closed    bool // a close frame was sent (under wmu)
	// ReadLimit bounds one message's size; a larger one closes the
	// connection with 1009. The default is 64 MiB.
	ReadLimit int64
}

// ErrClosed is returned by writes after the connection was closed.
var ErrClosed = errors.New("websocket: connection closed")

// dial upgrades the request rq names to a WebSocket. ctx bounds the
// handshake only; the connection lives until it is closed.
func (c *transport) dial(ctx context.Context, rq *request) (*WebSocket, error) {
	if rq.err != nil {
		return nil, rq.err
	}
	var k [16]byte
	rand.Read(k[:])
	key := base64.StdEncoding.EncodeToString(k[:])
	rq.header.Set("Connection", "Upgrade")
	rq.header.Set("Upgrade", "websocket")
	rq.header.Set("Sec-WebSocket-Version", "13")
	rq.header.Set("Sec-WebSocket-Key", key)
	req, err := c.httpRequest(ctx, rq)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
			resp.Body.Close()
			return nil, fmt.Errorf("websocket: the server answered %s instead of upgrading", resp.Status)
		}
		return nil, errorOf(resp)
	}
	conn, ok := resp.Body.(io.ReadWriteCloser)
	if !ok {
		resp.Body.Close()
		return nil, errors.New("websocket: the HTTP client's transport does not hand over upgraded connections")
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if !strings.EqualFold(resp.Header.Get("Upgrade"), "websocket") ||
		resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) ||
		resp.Header.Get("Sec-WebSocket-Extensions") != "" {
		conn.Close()
		return nil, errors.New("websocket: the server's handshake answer is not valid")
	}
	return &WebSocket{conn: conn, br: bufio.NewReader(conn), ReadLimit: 64 << 20}, nil
}

// ReadMessage reads the next data message, answering pings on the way.
// After the peer closes with 1000 or 1001 it returns io.EOF; after any
// other close, a *CloseError.
func (ws *WebSocket) ReadMessage() (MessageKind, []byte, error) {
	var (
		kind MessageKind
		msg  []byte
	)
	for {
		fin, op, payload, err := ws.readFrame()
		if err != nil {
			return 0, nil, err
		}
		switch op {
		case 0x8: // close
			return 0, nil, ws.peerClosed(payload)
		case 0x9: // ping
			if err := ws.writeFrame(0xA, payload); err != nil && !errors.Is(err, ErrClosed) {
				return 0, nil, err
			}
			continue
		case 0xA: // pong
			continue
		case 0x0: // continuation
			if kind == 0 {
				return 0, nil, ws.fail(1002, "continuation without a message")
			}
		case 0x1, 0x2:
			if kind != 0 {
				return 0, nil, ws.fail(1002, "new message inside a fragmented one")
			}
			kind = MessageKind(op)
		default:
			return 0, nil, ws.fail(1002, "unknown opcode")
		}
		if int64(len(msg))+int64(len(payload)) > ws.ReadLimit {
			return 0, nil, ws.fail(1009, "message too big")
		}
		msg = append(msg, payload...)
		if fin {
			if kind == TextMessage && !utf8.Valid(msg) {
				return 0, nil, ws.fail(1007, "text message is not UTF-8")
			}
			if msg == nil {
				msg = []byte{}
			}
			return kind, msg, nil
		}
	}
}

// readFrame reads one frame, unmasked as a server sends it.
func (ws *WebSocket) readFrame() (fin bool, op byte, payload []byte, err error) {
	var h [2]byte
	if _, err := io.ReadFull(ws.br, h[:]); err != nil {
		return false, 0, nil, err
	}
	fin, op = h[0]&0x80 != 0, h[0]&0x0F
	if h[0]&0x70 != 0 {
		return false, 0, nil, ws.fail(1002, "reserved bits set")
	}
	if h[1]&0x80 != 0 {
		return false, 0, nil, ws.fail(1002, "masked frame from the server")
	}
	n := uint64(h[1] & 0x7F)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(ws.br, b[:]); err != nil {
			return false, 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(ws.br, b[:]); err != nil {
			return false, 0, nil, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	if op >= 0x8 && (n > 125 || !fin) {
		return false, 0, nil, ws.fail(1002, "bad control frame")
	}
	if n > uint64(ws.ReadLimit) {
		return false, 0, nil, ws.fail(1009, "message too big")
	}
	payload = make([]byte, n)
	if _, err := io.ReadFull(ws.br, payload); err != nil {
		return false, 0, nil, err
	}
	return fin, op, payload, nil
}

// closed_ answers the peer's close frame and says how the connection ended.
func (ws *WebSocket) peerClosed(payload []byte) error {
	code, reason := 1005, ""
	if len(payload) >= 2 {
		code, reason = int(binary.BigEndian.Uint16(payload)), string(payload[2:])
	}
	echo := payload
	if len(payload) >= 2 {
		echo = payload[:2]
	}
	ws.writeFrame(0x8, echo)
	ws.closeConn()
	if code == 1000 || code == 1001 || code == 1005 {
		return io.EOF
	}
	return &CloseError{Code: code, Reason: reason}
}

// fail closes the connection for a protocol error and returns it.
func (ws *WebSocket) fail(code int, reason string) error {
	ws.Close(code, reason)
	return &CloseError{Code: code, Reason: reason}
}

// ReadText reads the next message as text.
func (ws *WebSocket) ReadText() (string, error) {
	_, b, err := ws.ReadMessage()
	return string(b), err
}

// ReadJSON reads the next message and decodes it as JSON into v.
func (ws *WebSocket) ReadJSON(v any) error {
	_, b, err := ws.ReadMessage()
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// WriteMessage sends one message of the kind.
func (ws *WebSocket) WriteMessage(kind MessageKind, data []byte) error {
	if kind != TextMessage && kind != BinaryMessage {
		return fmt.Errorf("websocket: message kind %d is neither text nor binary", kind)
	}
	return ws.writeFrame(byte(kind), data)
}

// WriteText sends a text message.
func (ws *WebSocket) WriteText(s string) error { return ws.writeFrame(0x1, []byte(s)) }

// WriteJSON sends v encoded as JSON, as a text message.
func (ws *WebSocket) WriteJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return ws.writeFrame(0x1, b)
}

// Close sends a close frame with code and reason and closes the
// connection.
func (ws *WebSocket) Close(code int, reason string) error {
	var p []byte
	if code != 0 {
		p = binary.BigEndian.AppendUint16(nil, uint16(code))
		if len(reason) > 123 {
			reason = reason[:123]
		}
		p = append(p, reason...)
	}
	err := ws.writeFrame(0x8, p)
	ws.closeConn()
	if errors.Is(err, ErrClosed) {
		return nil
	}
	return err
}

func (ws *WebSocket) closeConn() { ws.closeOnce.Do(func() { ws.conn.Close() }) }

// writeFrame sends one masked frame (RFC 6455, 5.3: a client masks every
// frame).
func (ws *WebSocket) writeFrame(op byte, payload []byte) error {
	ws.wmu.Lock()
	defer ws.wmu.Unlock()
	if ws.closed {
		return ErrClosed
	}
	if op == 0x8 {
		ws.closed = true
	}
	frame := make([]byte, 0, 14+len(payload))
	frame = append(frame, 0x80|op)
	switch n := len(payload); {
	case n <= 125:
		frame = append(frame, 0x80|byte(n))
	case n <= 0xFFFF:
		frame = binary.BigEndian.AppendUint16(append(frame, 0x80|126), uint16(n))
	default:
		frame = binary.BigEndian.AppendUint64(append(frame, 0x80|127), uint64(n))
	}
	var mask [4]byte
	rand.Read(mask[:])
	frame = append(frame, mask[:]...)
	for i, b := range payload {
		frame = append(frame, b^mask[i&3])
	}
	_, err := ws.conn.Write(frame)
	return err
}
