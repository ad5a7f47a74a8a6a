package kk

import (
	"bytes"
	"sync"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/internal/httpx"
)

// CompressMinSize is the smallest body Compress compresses: below about a
// packet, compression saves less than it costs.
const CompressMinSize = 1024

// Compress returns middleware that compresses responses with the coding
// the client prefers among br, zstd and gzip, by its Accept-Encoding
// q-values (ties go br, zstd, gzip; q=0 refuses a coding; "*" stands for
// the codings not named; identity is always acceptable, so a client that
// accepts none gets the body as it is). It uses fasthttp's encoders at
// their default levels (brotli 4, zstd default, gzip 6).
//
// It compresses a response when the handler returned no error, the body is
// in memory and at least CompressMinSize bytes, and its Content-Type is
// compressible: text/* (but not text/event-stream), JSON and +json,
// JavaScript, XML and +xml, SVG, and wasm. Such a response gets
// Vary: Accept-Encoding whether or not this client's answer is compressed,
// and, when compressed, Content-Encoding, a Content-Length of the
// compressed body, and its strong ETag suffixed with the coding
// ("abc" becomes "abc-br"), since the bytes differ; a weak ETag is kept.
//
// It leaves alone: responses that already have a Content-Encoding, 206
// and 304 answers and other bodiless statuses, event streams, WebSocket
// upgrades (101, or a hijacked connection), and streamed bodies (set with
// SetBodyStream: they are sent as they are, never read into memory to be
// compressed). A HEAD answer gets the headers GET would (RFC 9110
// §9.3.2): its body, which fasthttp does not send, is compressed to learn
// the Content-Length.
func Compress() Middleware {
	return func(next Handler) Handler {
		return func(c *Ctx) error {
			c.SetUserValue(compressKey{}, true) // for onTheFly
			err := next(c)
			if err == nil {
				compressResponse(c)
			}
			return err
		}
	}
}

// compressBufs holds the buffers compression writes into.
var compressBufs = sync.Pool{New: func() any { return new([]byte) }}

func compressResponse(c *Ctx) {
	resp := &c.Response
	switch status := resp.StatusCode(); {
	case c.Hijacked(), status < 200, status == fasthttp.StatusNoContent,
		status == fasthttp.StatusPartialContent, status == fasthttp.StatusNotModified:
		return
	}
	hdr := &resp.Header
	if len(hdr.Peek(fasthttp.HeaderContentEncoding)) > 0 || resp.IsBodyStream() || !compressible(hdr.ContentType()) {
		return
	}
	body := resp.Body()
	if len(body) < CompressMinSize {
		return
	}
	addVary(hdr, fasthttp.HeaderAcceptEncoding)
	cd := httpx.Negotiate(httpx.FieldLines(&c.Request.Header, fasthttp.HeaderAcceptEncoding), httpx.AllCodings)
	if cd == httpx.Identity {
		return
	}
	buf := compressBufs.Get().(*[]byte)
	out := compressBytes((*buf)[:0], body, cd)
	if len(out) >= len(body) {
		*buf = out
		compressBufs.Put(buf)
		return // incompressible: the original is smaller
	}
	// Copy the (smaller) compressed body into the response's own buffer
	// rather than swapping buffers: a swap would hand fasthttp's pool
	// a small buffer to regrow for the next large body.
	resp.SetBody(out)
	*buf = out
	compressBufs.Put(buf)
	hdr.Set(fasthttp.HeaderContentEncoding, cd.Name())
	if tag := hdr.Peek(fasthttp.HeaderETag); len(tag) > 1 && tag[0] == '"' && tag[len(tag)-1] == '"' {
		t := make([]byte, 0, len(tag)+6)
		t = append(t, tag[:len(tag)-1]...)
		t = append(t, '-')
		t = append(t, cd.Name()...)
		t = append(t, '"')
		hdr.SetBytesV(fasthttp.HeaderETag, t)
	}
}

// compressKey marks, as a RequestCtx user value, a request that Compress
// wraps.
type compressKey struct{}

// onTheFly is the coding Compress will give an in-memory body of size
// bytes and type ctype, when it wraps the request, so that Static can
// compare conditionals with the tag of what is sent; identity otherwise.
// (A body that does not shrink is still sent as it is: its tag then
// matches nothing, and the client gets a 200, never a wrong 304.)
func onTheFly(c *Ctx, ctype string, size int64, accept []byte) httpx.Coding {
	if c.UserValue(compressKey{}) == nil || size < CompressMinSize || !compressible([]byte(ctype)) {
		return httpx.Identity
	}
	return httpx.Negotiate(accept, httpx.AllCodings)
}

// compressBytes appends src compressed with cd to dst, at fasthttp's
// default level for the coding.
func compressBytes(dst, src []byte, cd httpx.Coding) []byte {
	switch cd {
	case httpx.Brotli:
		return fasthttp.AppendBrotliBytesLevel(dst, src, fasthttp.CompressBrotliDefaultCompression)
	case httpx.Zstd:
		return fasthttp.AppendZstdBytesLevel(dst, src, fasthttp.CompressZstdDefault)
	default:
		return fasthttp.AppendGzipBytesLevel(dst, src, fasthttp.CompressDefaultCompression)
	}
}

// compressible reports whether a Content-Type is worth compressing.
func compressible(ct []byte) bool {
	mt, _ := httpx.CutByte(ct, ';')
	mt = httpx.TrimOWS(mt)
	if len(mt) > 64 {
		return false
	}
	var low [64]byte
	for i, b := range mt {
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		low[i] = b
	}
	t := low[:len(mt)]
	switch {
	case bytes.HasPrefix(t, []byte("text/")):
		return string(t) != "text/event-stream"
	case bytes.HasSuffix(t, []byte("+json")), bytes.HasSuffix(t, []byte("+xml")):
		return true
	}
	switch string(t) {
	case "application/json", "application/javascript", "application/x-javascript", "application/ecmascript",
		"application/xml", "application/wasm", "image/svg+xml":
		return true
	}
	return false
}
