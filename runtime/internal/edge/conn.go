package edge

import (
	"bytes"
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// The connection-level half of the edge (request.go is the request half):
// every connection the server accepts is wrapped so that
//
//   - an answer the server closes the connection after (a 413, a 431, a
//     refused framing, Connection: close) reaches the client: the close is
//     a half-close, then a brief drain of what the client still sends, then
//     the close. Closing a socket with unread input makes the kernel send a
//     TCP RST, and a client that gets the RST before it has read the
//     answer never sees the answer.
//   - a header block ended by a bare LF is answered 400 at once. fasthttp
//     waits for a CRLF CRLF that never comes, until the read timeout.
const (
	// LingerTimeout bounds the drain after a half-close. It is the real
	// bound: a client still uploading a body the server refused keeps
	// writing until it has read the answer, and closing on it any sooner
	// (after so many bytes, say) is the RST the drain is there to avoid.
	LingerTimeout = time.Second
	// lingerMax only keeps the drain finite on an absurdly fast link.
	lingerMax = 1 << 30
	// bareLFWait is how long a header block that a bare LF seems to end
	// may wait for more bytes before it is refused. A client that meant
	// it sent the whole block at once.
	bareLFWait = 50 * time.Millisecond
)

// ErrBareLF ends the read of a header block that a bare LF terminates; the
// server's readError answers it with a 400 that says so.
var ErrBareLF = errors.New("kk: the request header block ends with a bare LF; lines must end with CRLF")

// Listener wraps every connection it accepts in a Conn.
type Listener struct{ net.Listener }

// Accept wraps the accepted connection in a Conn, unless it is TLS.
func (l Listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if _, ok := c.(*tls.Conn); ok {
		return c, nil // fasthttp looks for *tls.Conn itself; TLS closes with its own alert
	}
	return &Conn{Conn: c}, nil
}

// Conn is a server connection with a lingering close and bare-LF
// detection. Reads come from the server's one reading goroutine at a
// time; writes, closes and deadlines may come from others.
type Conn struct {
	net.Conn

	reading   atomic.Bool  // a Read is in progress: a close now is an idle or aborted one
	wroteLast atomic.Bool  // the last I/O was a write: a close now follows an answer
	writes    atomic.Int64 // writes so far: a new answer starts a new region
	deadline  atomic.Int64 // the read deadline the server set, unix ns (0: none)
	closeOnce sync.Once
	closeErr  error

	// Reader-only state: the bytes received since the last CRLF CRLF or
	// answer (the header block being read, if any), capped.
	region   []byte
	overflow bool
	seen     int64 // writes when region was last reset
	suspect  bool  // region is a request head ended by a bare LF
}

func (c *Conn) SetReadDeadline(t time.Time) error {
	c.storeDeadline(t)
	return c.Conn.SetReadDeadline(t)
}

func (c *Conn) SetDeadline(t time.Time) error {
	c.storeDeadline(t)
	return c.Conn.SetDeadline(t)
}

func (c *Conn) storeDeadline(t time.Time) {
	if t.IsZero() {
		c.deadline.Store(0)
	} else {
		c.deadline.Store(t.UnixNano())
	}
}

func (c *Conn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if n > 0 {
		c.writes.Add(1)
		c.wroteLast.Store(true)
	}
	return n, err
}

func (c *Conn) Read(p []byte) (int, error) {
	c.reading.Store(true)
	defer c.reading.Store(false)
	if c.suspect && c.seen == c.writes.Load() {
		return c.readSuspect(p)
	}
	n, err := c.Conn.Read(p)
	c.observe(p[:n], err)
	return n, err
}

// readSuspect reads while the region looks like a request head ended by a
// bare LF: if nothing more comes within bareLFWait (and before the
// server's own deadline), the block really ended there, and the read
// fails with ErrBareLF.
func (c *Conn) readSuspect(p []byte) (int, error) {
	wait := time.Now().Add(bareLFWait)
	want := c.deadline.Load()
	if want != 0 && want <= wait.UnixNano() {
		n, err := c.Conn.Read(p) // the server's deadline comes first anyway
		c.observe(p[:n], err)
		return n, err
	}
	if err := c.Conn.SetReadDeadline(wait); err != nil {
		return 0, err
	}
	n, err := c.Conn.Read(p)
	if n == 0 && isTimeout(err) {
		c.suspect = false
		return 0, ErrBareLF
	}
	var restore time.Time
	if want != 0 {
		restore = time.Unix(0, want)
	}
	if derr := c.Conn.SetReadDeadline(restore); derr != nil && err == nil {
		err = derr
	}
	c.observe(p[:n], err)
	return n, err
}

// maxRegion caps the bytes kept for bare-LF detection: a header block
// larger than the server's header buffer is refused by fasthttp anyway.
const maxRegion = 64 << 10

var crlfcrlf = []byte("\r\n\r\n")

// observe notes bytes the server received.
func (c *Conn) observe(b []byte, err error) {
	if len(b) == 0 {
		if err != nil {
			c.wroteLast.Store(false) // the client is gone or silent: nothing to drain
		}
		return
	}
	c.wroteLast.Store(false)
	if w := c.writes.Load(); w != c.seen {
		c.seen, c.region, c.overflow = w, c.region[:0], false
	}
	// A CRLF CRLF may straddle the previous read: look from 3 bytes back.
	old := len(c.region)
	if c.overflow {
		if i := bytes.LastIndex(b, crlfcrlf); i >= 0 {
			c.region, c.overflow = append(c.region[:0], b[i+4:]...), false
		}
	} else {
		c.region = append(c.region, b...)
		from := max(old-3, 0)
		if i := bytes.LastIndex(c.region[from:], crlfcrlf); i >= 0 {
			n := copy(c.region, c.region[from+i+4:])
			c.region = c.region[:n]
		}
	}
	if len(c.region) > maxRegion {
		c.region, c.overflow = c.region[:0], true
	}
	c.suspect = !c.overflow && len(c.region) > 0 && bareLFHead(c.region)
}

// bareLFHead reports whether b, which holds no CRLF CRLF, is a request
// line and header fields ended by a blank line with a bare LF: "\n\n" or
// "\n\r\n" after the request line.
func bareLFHead(b []byte) bool {
	for len(b) > 0 && (b[0] == '\r' || b[0] == '\n') {
		b = b[1:] // fasthttp skips empty lines before the request line
	}
	i := bytes.IndexByte(b, '\n')
	if i < 0 || len(b) == 0 || !isTokenByte(b[0]) || !bytes.Contains(b[:i], []byte(" HTTP/")) {
		return false
	}
	rest := b[i:]
	return bytes.Contains(rest, []byte("\n\n")) || bytes.Contains(rest, []byte("\n\r\n"))
}

func isTokenByte(b byte) bool {
	return 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' || '0' <= b && b <= '9' ||
		bytes.IndexByte([]byte("!#$%&'*+-.^_`|~"), b) >= 0
}

// Close closes the connection. Right after an answer (the server is not
// waiting for a request), it half-closes, so the answer is followed by a
// FIN, and drains what the client still sends for up to LingerTimeout in
// the background before closing, so no RST overtakes the answer. An idle
// connection, or one whose client went away, closes at once.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		cw, ok := c.Conn.(interface{ CloseWrite() error })
		if !ok || c.reading.Load() || !c.wroteLast.Load() {
			c.closeErr = c.Conn.Close()
			return
		}
		if err := cw.CloseWrite(); err != nil {
			c.closeErr = c.Conn.Close()
			return
		}
		go c.drain()
	})
	return c.closeErr
}

func (c *Conn) drain() {
	defer c.Conn.Close()
	if c.Conn.SetReadDeadline(time.Now().Add(LingerTimeout)) != nil {
		return
	}
	buf := make([]byte, 4<<10)
	for read := 0; read < lingerMax; {
		n, err := c.Conn.Read(buf)
		read += n
		if err != nil {
			return
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
