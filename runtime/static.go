package kk

import (
	"fmt"
	"io/fs"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/internal/httpx"
	"github.com/kommandkit/kk/runtime/internal/static"
)

// Static returns the handler of a //kk:static route: it serves the file
// that the route's last path parameter (the catch-all) names, from dir
// inside fsys ("" or "." for fsys itself). kkgen wires it into the
// generated dispatch; a hand-written catch-all GET route may return it too.
//
// It answers GET and HEAD as docs/static.md describes: a directory serves
// its index.html, else 404, and nothing is listed; Content-Type by
// extension; a strong ETag (a content hash, computed once per file);
// Last-Modified when fsys knows modification times; conditionals as RFC
// 9110 §13 says, against the tag of the representation the answer would
// carry (internal/httpx): 412 for If-Match and If-Unmodified-Since, 304 for
// If-None-Match and If-Modified-Since; one byte range as 206, an
// unsatisfiable one as 416, If-Range honoured; precompressed siblings
// (name.br, name.zst, name.gz) when the client accepts them, always with
// Vary: Accept-Encoding. A path with a segment starting with "." is 404,
// and no name that leaves the root is ever opened: the path is the one
// the router matched (dot segments resolved as sent, then decoded, see
// path.go), checked segment by segment and with fs.ValidPath, never
// handed to fasthttp's own file serving. An os.DirFS is opened as an
// os.Root (internal/static), so no symbolic link leads out of its directory; any
// other fs.FS is trusted to keep the names it is given inside itself.
//
// An embed.FS is read once: its file list at Static's call, each file's
// hash and (small) content on first use. Any other fs.FS is asked for the
// file's size and modification time on every request, and the cached hash
// is reused while both stay the same. Files over 128 KiB are streamed from
// fsys, never read into memory whole, pushing the write deadline forward
// while the client reads (static.Body).
//
// Static panics when dir is not a valid fs.FS path or, for an embed.FS,
// not a directory in it: kkgen reports both before any code runs.
func Static(fsys fs.FS, dir string) Handler {
	s, err := static.New(fsys, dir)
	if err != nil {
		panic("kk: Static: " + err.Error())
	}
	return func(c *Ctx) error { return serveStatic(c, s) }
}

// serveStatic answers one GET or HEAD request from s.
func serveStatic(c *Ctx, s *static.Server) error {
	var raw []byte
	if r := c.Route(); r != nil && len(r.Params) > 0 {
		raw = ParamAt(c, len(r.Params)-1)
	}
	name, isDir, ok := static.CleanName(raw)
	if !ok {
		return notFound(c)
	}
	f, err := s.Find(name, isDir)
	if err != nil {
		return err
	}
	if f == nil {
		return notFound(c)
	}
	if err := f.Load(s); err != nil {
		return err
	}
	hdr := &c.Response.Header
	addVary(hdr, fasthttp.HeaderAcceptEncoding)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set(fasthttp.HeaderAcceptRanges, "bytes")
	if f.LastModified != "" {
		hdr.Set(fasthttp.HeaderLastModified, f.LastModified)
	}
	// The representation a full answer sends: the best precompressed
	// sibling the client accepts, else f itself, which kk.Compress may
	// still compress. Its tag is what the conditionals compare.
	accept := httpx.FieldLines(&c.Request.Header, fasthttp.HeaderAcceptEncoding)
	rep, cd, err := s.Sibling(f, accept)
	if err != nil {
		return err
	}
	tag := f.Tags[cd]
	if cd == httpx.Identity && f.Data != nil {
		tag = f.Tags[onTheFly(c, f.ContentType, f.Size, accept)]
	}
	switch httpx.Precondition(&c.Request.Header, f.Mod, tag) {
	case fasthttp.StatusNotModified:
		hdr.Set(fasthttp.HeaderETag, tag)
		c.SetStatusCode(fasthttp.StatusNotModified)
		return nil
	case fasthttp.StatusPreconditionFailed:
		return Errorf(fasthttp.StatusPreconditionFailed, "the precondition failed: the current representation is %s", tag)
	}
	hdr.SetContentType(f.ContentType)

	// One Range is served from the identity representation, when If-Range
	// names its current version.
	get := c.IsGet()
	rng, ranged := httpx.ByteRange{}, false
	if get {
		if spec := c.Request.Header.Peek(fasthttp.HeaderRange); len(spec) > 0 && httpx.IfRange(&c.Request.Header, f.Mod, f.Tags[httpx.Identity]) {
			rng, ranged = httpx.ParseRange(spec, f.Size)
		}
	}
	if ranged {
		rep, cd = f, httpx.Identity
	}
	hdr.Set(fasthttp.HeaderETag, f.Tags[cd]) // kk.Compress suffixes it when it compresses
	if cd != httpx.Identity {
		hdr.Set(fasthttp.HeaderContentEncoding, cd.Name())
	}

	start, n := int64(0), rep.Size
	if ranged {
		if rng.Unsatisfiable {
			hdr.Set(fasthttp.HeaderContentRange, fmt.Sprintf("bytes */%d", f.Size))
			return Errorf(fasthttp.StatusRequestedRangeNotSatisfiable, "range %q not satisfiable: the file has %d bytes",
				c.Request.Header.Peek(fasthttp.HeaderRange), f.Size)
		}
		start, n = rng.Start, rng.End-rng.Start+1
		hdr.Set(fasthttp.HeaderContentRange, fmt.Sprintf("bytes %d-%d/%d", rng.Start, rng.End, f.Size))
		c.SetStatusCode(fasthttp.StatusPartialContent)
	}
	if rep.Data != nil {
		// For HEAD too: fasthttp sends no body for HEAD, and kk.Compress
		// then describes exactly what GET would send (RFC 9110 §9.3.2).
		c.Response.SetBodyRaw(rep.Data[start : start+n]) // held content is never modified
		return nil
	}
	if !get { // HEAD of a streamed file: the headers a GET would get, no body
		c.Response.ResetBody()
		hdr.SetContentLength(int(n))
		return nil
	}
	return stream(c, s, rep, start, n)
}

// stream sends n bytes of f from start, reading from the FS as the
// connection takes them (a file on disk goes out with sendfile).
// fasthttp closes the file once it is sent.
func stream(c *Ctx, s *static.Server, f *static.File, start, n int64) error {
	file, err := s.Open(f, start)
	if err != nil {
		return err
	}
	var timeout time.Duration
	if srv := serverOf(c.RequestCtx); srv != nil {
		timeout = srv.WriteTimeout
	}
	c.Response.SetBodyStream(static.NewBody(file, n, c.RequestCtx, timeout), int(n))
	return nil
}

func notFound(c *Ctx) error {
	return Errorf(fasthttp.StatusNotFound, "no file for %s", c.Path())
}
