package kk

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/valyala/fasthttp"
)

// The HTTP edge: checks kk makes on every request before routing, where
// fasthttp's parser is more lenient than RFC 9112 asks of a server that
// faces the internet. fasthttp has parsed the request by then; the checks
// read what it kept (the raw header block, the request line) and answer
// with a problem and Connection: close. RELIABILITY.md lists what each
// answers and the hostile-request suite that proves it; edgeconn.go holds
// the connection-level half (graceful close, bare-LF line endings).

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

// harden installs the edge on a server built for r: the request checks
// around its handler (whatever it is by then, so harden goes last). The
// server must then serve an edgeListener. (Expect: 100-continue is
// answered by the router's body stage, bodylimit.go, which knows each
// route's limit.)
func harden(s *fasthttp.Server, r *Router) *fasthttp.Server {
	next := s.Handler
	s.Handler = func(rc *fasthttp.RequestCtx) {
		if err := checkRequest(rc); err != nil {
			rejectRequest(rc, err)
			return
		}
		if err := checkPathEscapes(rc); err != nil {
			r.serveEdgeError(rc, err)
			return
		}
		next(rc)
	}
	return s
}

// edgeError is a request the edge refuses before routing. Its connection
// is closed after the answer: when the framing is in doubt, nothing after
// this request on the connection can be trusted to be a request.
type edgeError struct {
	status int
	msg    string
}

func (e *edgeError) Error() string   { return e.msg }
func (e *edgeError) StatusCode() int { return e.status }

func refuse(status int, format string, args ...any) error {
	return &edgeError{status: status, msg: fmt.Sprintf(format, args...)}
}

// rejectRequest answers err as a problem and closes the connection.
func rejectRequest(rc *fasthttp.RequestCtx, err error) {
	status := fasthttp.StatusBadRequest
	var sc StatusCoder
	if errors.As(err, &sc) {
		status = sc.StatusCode()
	}
	writeRawProblem(rc, status, err)
	rc.SetConnectionClose()
}

// checkRequest is the framing, version and field checks, in that order.
// The common request (HTTP/1.1, a few headers, no body or a plain
// Content-Length) costs one pass over the raw header block.
func checkRequest(rc *fasthttp.RequestCtx) error {
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
	switch {
	case f.n > MaxHeaderFields:
		return refuse(fasthttp.StatusRequestHeaderFieldsTooLarge, "the request has %d header fields; at most %d are accepted",
			f.n, MaxHeaderFields)
	case f.transferEncoding != nil && f.contentLength:
		// RFC 9112 §6.1: a request with both is a smuggling attempt or a
		// broken client; either way its end cannot be known.
		return refuse(fasthttp.StatusBadRequest, "the request has both Content-Length and Transfer-Encoding")
	case f.transferEncoding != nil && !bytes.EqualFold(bytes.TrimSpace(f.transferEncoding), []byte("chunked")):
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
	transferEncoding []byte // the Transfer-Encoding value, if any
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
				f.transferEncoding = fieldValue(line, len(fasthttp.HeaderTransferEncoding))
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

// checkPathEscapes refuses a path with a malformed percent-escape ("%zz",
// "%4", a trailing "%"). fasthttp leaves such an escape in the decoded
// path as it came, so without this a string parameter would bind "%zz"
// unchanged, and "%zz" and "%25zz" would reach the handler alike. The raw
// request target is read; the decoded path is not enough.
func checkPathEscapes(rc *fasthttp.RequestCtx) error {
	raw := rawPath(rc.RequestURI())
	i := bytes.IndexByte(raw, '%')
	if i < 0 {
		return nil
	}
	for ; i < len(raw); i++ {
		if raw[i] == '%' && (i+2 >= len(raw) || !isHex(raw[i+1]) || !isHex(raw[i+2])) {
			return &badEscape{raw: raw, at: i}
		}
	}
	return nil
}

// rawPath is the path of a request target as sent: without the query or
// fragment, and without the scheme and authority of an absolute form.
func rawPath(uri []byte) []byte {
	if len(uri) > 0 && uri[0] != '/' {
		if i := bytes.Index(uri, []byte("://")); i >= 0 {
			uri = uri[i+3:]
			if j := bytes.IndexByte(uri, '/'); j >= 0 {
				uri = uri[j:]
			} else {
				uri = nil
			}
		}
	}
	if i := bytes.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	if i := bytes.IndexByte(uri, '#'); i >= 0 {
		uri = uri[:i]
	}
	return uri
}

func isHex(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b|0x20 && b|0x20 <= 'f'
}

// badEscape is a malformed percent-escape at raw[at].
type badEscape struct {
	raw []byte
	at  int
}

func (e *badEscape) escape() string {
	end := min(e.at+3, len(e.raw))
	return string(e.raw[e.at:end])
}

func (e *badEscape) Error() string {
	return fmt.Sprintf("malformed percent-escape %q in the path %q", e.escape(), e.raw)
}

func (e *badEscape) StatusCode() int { return fasthttp.StatusBadRequest }

// segment is the index of the raw path segment holding the escape (0 for
// the first after the leading '/') and that segment's text.
func (e *badEscape) segment() (int, []byte) {
	before := e.raw[:e.at]
	start := bytes.LastIndexByte(before, '/') + 1
	end := len(e.raw)
	if j := bytes.IndexByte(e.raw[e.at:], '/'); j >= 0 {
		end = e.at + j
	}
	return bytes.Count(before, []byte{'/'}) - 1, e.raw[start:end]
}

// serveEdgeError answers a request the edge refused after routing it (its
// framing is sound, so the connection stays open): the route is matched as usual so that router-wide middleware (request IDs,
// access logs) sees the request and the error becomes a ParamError naming
// the path parameter the escape is in, answered by the router's error
// handling like any other undecodable parameter.
func (r *Router) serveEdgeError(rc *fasthttp.RequestCtx, err error) {
	c := &Ctx{RequestCtx: rc, router: r} // a rare path: a Ctx of its own, not the router's pooled ones
	served := false
	defer func() {
		if !served {
			r.panicked(c, recover())
		}
	}()
	path, perr := requestPath(rc, &c.pathB)
	i := -1
	if perr == nil {
		c.path = path
		i = r.match(b2s(rc.Method()), path, &c.params)
	}
	if i >= 0 {
		c.route = &r.table.Routes[i]
		var be *badEscape
		if errors.As(err, &be) {
			err = be.inParam(c, path)
		}
	}
	if herr := r.wrap(func(*Ctx) error { return err })(c); herr != nil {
		r.writeError(c, herr)
	}
	served = true
}

// inParam is e as the ParamError of the matched route's parameter that
// covers the escape's segment, or e itself when none does (the escape is
// in a static segment) or when the decoded path's segments no longer line
// up with the raw ones (an escaped '/', a dot segment).
func (e *badEscape) inParam(c *Ctx, path []byte) error {
	seg, text := e.segment()
	if bytes.Count(path, []byte{'/'}) != bytes.Count(e.raw, []byte{'/'}) {
		return e
	}
	for j, name := range c.route.Params {
		v := c.params[j]
		off := cap(path) - cap(v) // v is a view into path
		if off < 0 || off > len(path) {
			continue
		}
		first := bytes.Count(path[:off], []byte{'/'}) - 1
		last := first + bytes.Count(v, []byte{'/'})
		if first <= seg && seg <= last {
			return &ParamError{In: InPath, Name: name, Value: string(text), Type: "percent-encoded path segment",
				Err: errors.New("malformed escape " + strconv.Quote(e.escape()))}
		}
	}
	return e
}
