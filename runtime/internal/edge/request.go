// Package edge is the HTTP edge: the checks every request passes before
// routing, where fasthttp's parser is more lenient than RFC 9112 asks of
// a server that faces the internet (request.go), and the wrapper of every
// accepted connection, for a close that does not lose the answer and for
// header blocks ended by a bare LF (conn.go). What a refused request is
// answered with, and the router it is answered through, are kk's.
package edge

import (
	"bytes"
	"fmt"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/internal/httpx"
)

// The request half of the edge: fasthttp has parsed the request by
// then; the checks read what it kept (the raw header block, the request
// line) and return an error whose StatusCode is the answer, to be sent
// with Connection: close. RELIABILITY.md lists what each answers and the
// hostile-request suite that proves it; conn.go holds the connection-level
// half (graceful close, bare-LF line endings).

// Limits the edge enforces beyond fasthttp's own.
const (
	// MaxHeaderFields is the most header fields a request may carry;
	// past it the answer is 431. Browsers send about 20.
	MaxHeaderFields = 100

	// MaxRequestURISize bounds the request target: a longer one is 414.
	// (A request line longer than the whole header budget is 431, as
	// fasthttp cannot read it at all.)
	MaxRequestURISize = 8 << 10

	// MaxMethodSize bounds the method token. The longest registered
	// method (RFC 9110's registry) has 17 bytes; a longer token is 501
	// with the connection closed, as a request line past its limit.
	MaxMethodSize = 32
)

// Error is a request the edge refuses before routing. Its connection
// is closed after the answer: when the framing is in doubt, nothing after
// this request on the connection can be trusted to be a request.
type Error struct {
	status int
	msg    string
}

func (e *Error) Error() string   { return e.msg }
func (e *Error) StatusCode() int { return e.status }

func refuse(status int, format string, args ...any) error {
	return &Error{status: status, msg: fmt.Sprintf(format, args...)}
}

// CheckRequest is the framing, version and field checks, in that order.
// The common request (HTTP/1.1, a few headers, no body or a plain
// Content-Length) costs one pass over the raw header block.
func CheckRequest(rc *fasthttp.RequestCtx) error {
	h := &rc.Request.Header
	if err := checkVersion(h.Protocol()); err != nil {
		return err
	}
	if m := h.Method(); len(m) > MaxMethodSize {
		return refuse(fasthttp.StatusNotImplemented, "the method is %d bytes long; no method kk serves has more than %d",
			len(m), MaxMethodSize)
	}
	if len(h.RequestURI()) > MaxRequestURISize {
		return refuse(fasthttp.StatusRequestURITooLong, "the request target is %d bytes long; at most %d are accepted",
			len(h.RequestURI()), MaxRequestURISize)
	}
	var f fields
	if err := f.scan(h.RawHeaders()); err != nil {
		return err
	}
	return f.check(!h.IsHTTP11())
}

// check answers what the fields say of a request's framing and
// expectations; http10 is an HTTP/1.0 request.
func (f *fields) check(http10 bool) error {
	switch {
	case f.n > MaxHeaderFields:
		return refuse(fasthttp.StatusRequestHeaderFieldsTooLarge, "the request has %d header fields; at most %d are accepted",
			f.n, MaxHeaderFields)
	case f.hasTE && f.contentLength:
		// RFC 9112 §6.1: a request with both is a smuggling attempt or a
		// broken client; either way its end cannot be known.
		return refuse(fasthttp.StatusBadRequest, "the request has both Content-Length and Transfer-Encoding")
	case f.hasTE && http10:
		// RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message is
		// faulty framing, whatever it says.
		return refuse(fasthttp.StatusBadRequest, "Transfer-Encoding in an HTTP/1.0 request")
	case f.hasTE && !bytes.EqualFold(bytes.TrimSpace(f.transferEncoding), []byte("chunked")):
		// fasthttp turns away the codings it does not know with a 400
		// but takes "identity", which RFC 9112 §7 no longer defines, as
		// no coding at all.
		return refuse(fasthttp.StatusNotImplemented, "Transfer-Encoding %q is not supported; only chunked is", f.transferEncoding)
	case f.expect != nil && !bytes.EqualFold(bytes.TrimSpace(f.expect), []byte("100-continue")):
		return refuse(fasthttp.StatusExpectationFailed, "Expect %q cannot be met; only 100-continue is understood", f.expect)
	}
	return nil
}

// checkVersion accepts HTTP/1.x (RFC 9110 §6.2: a higher minor version is
// served as the highest one known) and answers 505 to any other major
// version, which fasthttp would otherwise serve as if it were 1.x.
func checkVersion(proto []byte) error {
	if len(proto) == 8 && string(proto[:7]) == "HTTP/1." {
		return nil
	}
	return refuse(fasthttp.StatusHTTPVersionNotSupported, "HTTP version %q is not supported; kk serves HTTP/1.0 and HTTP/1.1", proto)
}

// fields is what the edge learns from one pass over the raw header block.
type fields struct {
	n                int    // header fields
	contentLength    bool   // a Content-Length field is present
	hasTE            bool   // a Transfer-Encoding field is present
	transferEncoding []byte // the Transfer-Encoding values, the lines joined with ", " (RFC 9110 §5.3)
	expect           []byte // the Expect value, if any
}

// scan reads the raw header block as it came off the wire (before
// fasthttp folded or normalized it). Obsolete line folding is refused
// (RFC 9112 §5.2 allows either that or unfolding; refusing keeps a folded
// Transfer-Encoding from meaning different things to kk and to a proxy in
// front of it).
func (f *fields) scan(raw []byte) error {
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if len(line) == 0 {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			return refuse(fasthttp.StatusBadRequest, "obsolete line folding in the request header (a line starting with white space)")
		}
		f.n++
		// Only three names matter; most fields are passed over on their
		// first byte and length.
		switch line[0] | 0x20 {
		case 'c':
			if hasName(line, fasthttp.HeaderContentLength) {
				f.contentLength = true
			}
		case 't':
			if hasName(line, fasthttp.HeaderTransferEncoding) {
				v := fieldValue(line, len(fasthttp.HeaderTransferEncoding))
				if f.hasTE { // a second line continues the list: "gzip" then "chunked" is "gzip, chunked"
					v = append(append(append(make([]byte, 0, len(f.transferEncoding)+2+len(v)), f.transferEncoding...), ", "...), v...)
				}
				f.transferEncoding, f.hasTE = v, true
			}
		case 'e':
			if hasName(line, fasthttp.HeaderExpect) {
				f.expect = fieldValue(line, len(fasthttp.HeaderExpect))
			}
		}
	}
	return nil
}

// hasName reports whether the field line is named name (any case).
// fasthttp has refused space before the colon already.
func hasName(line []byte, name string) bool {
	return len(line) > len(name) && line[len(name)] == ':' && bytes.EqualFold(line[:len(name)], []byte(name))
}

func fieldValue(line []byte, nameLen int) []byte { return bytes.TrimSpace(line[nameLen+1:]) }

// CheckPathEscapes refuses a path with a malformed percent-escape ("%zz",
// "%4", a trailing "%"). fasthttp leaves such an escape in the decoded
// path as it came, so without this a string parameter would bind "%zz"
// unchanged, and "%zz" and "%25zz" would reach the handler alike. The raw
// request target is read; the decoded path is not enough.
func CheckPathEscapes(rc *fasthttp.RequestCtx) error {
	raw := httpx.RawPath(rc.RequestURI())
	i := bytes.IndexByte(raw, '%')
	if i < 0 {
		return nil
	}
	for ; i < len(raw); i++ {
		if raw[i] == '%' && (i+2 >= len(raw) || !httpx.IsHex(raw[i+1]) || !httpx.IsHex(raw[i+2])) {
			return &BadEscape{raw: raw, at: i}
		}
	}
	return nil
}

// BadEscape is a malformed percent-escape at raw[at].
type BadEscape struct {
	raw []byte
	at  int
}

// Escape is the malformed escape as sent, at most three bytes.
func (e *BadEscape) Escape() string {
	end := min(e.at+3, len(e.raw))
	return string(e.raw[e.at:end])
}

func (e *BadEscape) Error() string {
	return fmt.Sprintf("malformed percent-escape %q in the path %q", e.Escape(), e.raw)
}

func (e *BadEscape) StatusCode() int { return fasthttp.StatusBadRequest }

// Segment is the index of the raw path segment holding the escape (0 for
// the first after the leading '/') and that segment's text.
func (e *BadEscape) Segment() (int, []byte) {
	before := e.raw[:e.at]
	start := bytes.LastIndexByte(before, '/') + 1
	end := len(e.raw)
	if j := bytes.IndexByte(e.raw[e.at:], '/'); j >= 0 {
		end = e.at + j
	}
	return bytes.Count(before, []byte{'/'}) - 1, e.raw[start:end]
}

// Raw is the raw path the escape is in.
func (e *BadEscape) Raw() []byte { return e.raw }
