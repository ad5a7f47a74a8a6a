package kk

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/internal/httpx"
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
// os.Root (rootFS), so no symbolic link leads out of its directory; any
// other fs.FS is trusted to keep the names it is given inside itself.
//
// An embed.FS is read once: its file list at Static's call, each file's
// hash and (small) content on first use. Any other fs.FS is asked for the
// file's size and modification time on every request, and the cached hash
// is reused while both stay the same. Files over 128 KiB are streamed from
// fsys, never read into memory whole, pushing the write deadline forward
// while the client reads (fileBody).
//
// Static panics when dir is not a valid fs.FS path or, for an embed.FS,
// not a directory in it: kkgen reports both before any code runs.
func Static(fsys fs.FS, dir string) Handler {
	s, err := newFileServer(fsys, dir)
	if err != nil {
		panic("kk: Static: " + err.Error())
	}
	return s.serve
}

// fileServer serves the files of one fs.FS.
type fileServer struct {
	fsys fs.FS

	// For an embed.FS, whose contents never change: every file and every
	// directory holding an index.html, built once. Requests for other
	// names never touch fsys.
	fixed bool
	files map[string]*staticFile // "a/b.txt" → file
	dirs  map[string]*staticFile // "a" (the root is "") → its index.html

	// For any other fs.FS: the files served so far, by name, each valid
	// while the file's size and modification time stay the same.
	seen sync.Map // string → *staticFile

	held atomic.Int64 // bytes of file content held in memory
}

// Limits of what a fileServer keeps in memory. Files larger than
// maxHeldFile are streamed from the FS on every request; once maxHeld
// bytes are held, further files are streamed too.
const (
	maxHeldFile = 128 << 10
	maxHeld     = 64 << 20
)

func newFileServer(fsys fs.FS, dir string) (*fileServer, error) {
	if dir == "" {
		dir = "."
	}
	if !fs.ValidPath(dir) {
		return nil, fmt.Errorf("directory %q is not a valid fs.FS path", dir)
	}
	fsys = onDisk(fsys)
	_, fixed := fsys.(embed.FS)
	if p, ok := fsys.(*embed.FS); ok {
		fsys, fixed = *p, true
	}
	if dir != "." {
		st, err := fs.Stat(fsys, dir)
		if fixed && (err != nil || !st.IsDir()) {
			return nil, fmt.Errorf("%q is not a directory of the embed.FS", dir)
		}
		sub, err := fs.Sub(fsys, dir)
		if err != nil {
			return nil, err
		}
		fsys = sub
	}
	s := &fileServer{fsys: fsys, fixed: fixed}
	if fixed {
		if err := s.index(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// index lists an embed.FS's files and the directories with an index.html,
// and links each file to its precompressed siblings.
func (s *fileServer) index() error {
	s.files, s.dirs = map[string]*staticFile{}, map[string]*staticFile{}
	err := fs.WalkDir(s.fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		s.files[name] = newStaticFile(name, info)
		return nil
	})
	if err != nil {
		return err
	}
	for name, f := range s.files {
		for c := httpx.Brotli; c < httpx.NumCodings; c++ {
			f.siblings[c] = s.files[name+c.Suffix()]
		}
		switch {
		case name == "index.html":
			s.dirs[""] = f
		case len(name) > len("/index.html") && name[len(name)-len("/index.html"):] == "/index.html":
			s.dirs[name[:len(name)-len("/index.html")]] = f
		}
	}
	return nil
}

// serve answers one GET or HEAD request.
func (s *fileServer) serve(c *Ctx) error {
	var raw []byte
	if r := c.Route(); r != nil && len(r.Params) > 0 {
		raw = ParamAt(c, len(r.Params)-1)
	}
	name, isDir, ok := cleanName(raw)
	if !ok {
		return notFound(c)
	}
	f, err := s.find(name, isDir)
	if err != nil {
		return err
	}
	if f == nil {
		return notFound(c)
	}
	if err := f.load(s); err != nil {
		return err
	}
	hdr := &c.Response.Header
	addVary(hdr)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set(fasthttp.HeaderAcceptRanges, "bytes")
	if f.lastModified != "" {
		hdr.Set(fasthttp.HeaderLastModified, f.lastModified)
	}
	// The representation a full answer sends: the best precompressed
	// sibling the client accepts, else f itself, which kk.Compress may
	// still compress. Its tag is what the conditionals compare.
	accept := httpx.FieldLines(&c.Request.Header, fasthttp.HeaderAcceptEncoding)
	rep, cd, err := s.sibling(f, accept)
	if err != nil {
		return err
	}
	tag := f.tags[cd]
	if cd == httpx.Identity && f.data != nil {
		tag = f.tags[onTheFly(c, f.ctype, f.size, accept)]
	}
	switch httpx.Precondition(&c.Request.Header, f.mod, tag) {
	case fasthttp.StatusNotModified:
		hdr.Set(fasthttp.HeaderETag, tag)
		c.SetStatusCode(fasthttp.StatusNotModified)
		return nil
	case fasthttp.StatusPreconditionFailed:
		return Errorf(fasthttp.StatusPreconditionFailed, "the precondition failed: the current representation is %s", tag)
	}
	hdr.SetContentType(f.ctype)

	// One Range is served from the identity representation, when If-Range
	// names its current version.
	get := c.IsGet()
	rng, ranged := httpx.ByteRange{}, false
	if get {
		if spec := c.Request.Header.Peek(fasthttp.HeaderRange); len(spec) > 0 && httpx.IfRange(&c.Request.Header, f.mod, f.tags[httpx.Identity]) {
			rng, ranged = httpx.ParseRange(spec, f.size)
		}
	}
	if ranged {
		rep, cd = f, httpx.Identity
	}
	hdr.Set(fasthttp.HeaderETag, f.tags[cd]) // kk.Compress suffixes it when it compresses
	if cd != httpx.Identity {
		hdr.Set(fasthttp.HeaderContentEncoding, cd.Name())
	}

	start, n := int64(0), rep.size
	if ranged {
		if rng.Unsatisfiable {
			hdr.Set(fasthttp.HeaderContentRange, fmt.Sprintf("bytes */%d", f.size))
			return Errorf(fasthttp.StatusRequestedRangeNotSatisfiable, "range %q not satisfiable: the file has %d bytes",
				c.Request.Header.Peek(fasthttp.HeaderRange), f.size)
		}
		start, n = rng.Start, rng.End-rng.Start+1
		hdr.Set(fasthttp.HeaderContentRange, fmt.Sprintf("bytes %d-%d/%d", rng.Start, rng.End, f.size))
		c.SetStatusCode(fasthttp.StatusPartialContent)
	}
	if rep.data != nil {
		// For HEAD too: fasthttp sends no body for HEAD, and kk.Compress
		// then describes exactly what GET would send (RFC 9110 §9.3.2).
		c.Response.SetBodyRaw(rep.data[start : start+n]) // held content is never modified
		return nil
	}
	if !get { // HEAD of a streamed file: the headers a GET would get, no body
		c.Response.ResetBody()
		hdr.SetContentLength(int(n))
		return nil
	}
	return s.stream(c, rep, start, n)
}

// stream sends n bytes of f from start, reading from the FS as the
// connection takes them (a file on disk goes out with sendfile).
// fasthttp closes the file once it is sent.
func (s *fileServer) stream(c *Ctx, f *staticFile, start, n int64) error {
	file, err := s.fsys.Open(f.name)
	if err != nil {
		return fmt.Errorf("kk: Static: opening %s: %w", f.name, err)
	}
	if start > 0 {
		if sk, ok := file.(io.Seeker); ok {
			_, err = sk.Seek(start, io.SeekStart)
		} else {
			_, err = io.CopyN(io.Discard, file, start)
		}
		if err != nil {
			_ = file.Close()
			return fmt.Errorf("kk: Static: seeking in %s: %w", f.name, err)
		}
	}
	body := &fileBody{file: file, left: n, rc: c.RequestCtx}
	if srv := serverOf(c.RequestCtx); srv != nil {
		body.timeout = srv.WriteTimeout
	}
	c.Response.SetBodyStream(body, int(n))
	return nil
}

// fileBody is a file's bytes on their way to the client, closed by
// fasthttp once the body is sent (or the connection is gone). It sends
// fileChunk bytes at a time (an *os.File inside an io.LimitedReader,
// which fasthttp and the net package turn into sendfile) and, while the
// client keeps taking them, pushes the write deadline forward: the
// server's WriteTimeout bounds a stall, not a download, as for an
// io.Reader result (stream.go).
type fileBody struct {
	file    fs.File
	left    int64
	rc      *fasthttp.RequestCtx
	timeout time.Duration // the server's WriteTimeout, or 0
	armed   time.Time
}

// fileChunk is how much of a file goes out between two deadline checks.
const fileChunk = 64 << 10

func (b *fileBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.file.Read(p)
	b.left -= int64(n)
	return n, err
}

// SupportsBodyWriteTo tells fasthttp that WriteTo sends what Read would.
func (b *fileBody) SupportsBodyWriteTo() bool { return true }

func (b *fileBody) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for b.left > 0 {
		if b.timeout > 0 {
			b.rearm()
		}
		n, err := io.CopyN(w, b.file, min(b.left, fileChunk))
		total += n
		b.left -= n
		if err == io.EOF {
			return total, io.ErrUnexpectedEOF // the file shrank while it was sent
		}
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (b *fileBody) rearm() {
	now := time.Now()
	if now.Sub(b.armed) < b.timeout/4 {
		return
	}
	b.armed = now
	_ = b.rc.SetWriteDeadline(now.Add(b.timeout))
}

func (b *fileBody) Close() error { return b.file.Close() }

// find is the file for the cleaned name, or its directory's index.html,
// or nil when there is none.
func (s *fileServer) find(name string, isDir bool) (*staticFile, error) {
	if s.fixed {
		if !isDir {
			if f := s.files[name]; f != nil {
				return f, nil
			}
		}
		if name == "." {
			name = ""
		}
		return s.dirs[name], nil
	}
	info, err := fs.Stat(s.fsys, name)
	if err != nil {
		return nil, nil // missing, or unreadable: either way not served
	}
	if info.IsDir() {
		if name == "." {
			name = "index.html"
		} else {
			name += "/index.html"
		}
		if info, err = fs.Stat(s.fsys, name); err != nil {
			return nil, nil
		}
	} else if isDir {
		return nil, nil // "file.txt/" names a directory that is not one
	}
	if !info.Mode().IsRegular() {
		return nil, nil
	}
	return s.current(name, info), nil
}

// current is the cached entry for name when it still describes info, else
// a new one.
func (s *fileServer) current(name string, info fs.FileInfo) *staticFile {
	v, ok := s.seen.Load(name)
	if ok {
		if f := v.(*staticFile); f.size == info.Size() && f.mod.Equal(info.ModTime()) {
			return f
		}
	}
	f := newStaticFile(name, info)
	if prev, loaded := s.seen.Swap(name, f); loaded {
		s.held.Add(-prev.(*staticFile).heldBytes.Swap(0)) // the old content is let go
	}
	return f
}

// sibling picks the representation to send: the precompressed sibling the
// client prefers among those that exist, else f itself.
func (s *fileServer) sibling(f *staticFile, accept []byte) (*staticFile, httpx.Coding, error) {
	if len(accept) == 0 {
		return f, httpx.Identity, nil
	}
	offered := httpx.AllCodings
	if s.fixed {
		offered = 0
		for c := httpx.Brotli; c < httpx.NumCodings; c++ {
			if f.siblings[c] != nil {
				offered |= 1 << c
			}
		}
	}
	for offered != 0 {
		cd := httpx.Negotiate(accept, offered)
		if cd == httpx.Identity {
			break
		}
		sib := f.siblings[cd]
		if !s.fixed {
			sib = nil
			if info, err := fs.Stat(s.fsys, f.name+cd.Suffix()); err == nil && info.Mode().IsRegular() {
				sib = s.current(f.name+cd.Suffix(), info)
			}
		}
		if sib != nil {
			if err := sib.load(s); err != nil {
				return nil, 0, err
			}
			return sib, cd, nil
		}
		offered &^= 1 << cd
	}
	return f, httpx.Identity, nil
}

func notFound(c *Ctx) error {
	return Errorf(fasthttp.StatusNotFound, "no file for %s", c.Path())
}

// dirFSType is the type os.DirFS returns, which is not exported.
var dirFSType = reflect.TypeOf(os.DirFS("."))

// onDisk replaces an os.DirFS with a rootFS of the same directory, and
// returns any other fs.FS as it is. os.DirFS follows symbolic links
// wherever they lead, so a link inside an uploads directory could serve
// /etc/passwd; an os.Root cannot leave its directory.
func onDisk(fsys fs.FS) fs.FS {
	if reflect.TypeOf(fsys) != dirFSType {
		return fsys
	}
	return &rootFS{dir: reflect.ValueOf(fsys).String()}
}

// rootFS serves a directory on disk through an os.Root, opened on first
// use (the directory need not exist yet when Static is called) and kept
// open: symbolic links are followed only while they stay inside it
// (os.Root's rules), and its files are *os.File, sent with sendfile.
// The root is the directory as it was opened: a directory renamed into
// its place later is not seen until the process restarts.
type rootFS struct {
	dir  string
	mu   sync.Mutex
	root atomic.Pointer[os.Root]
}

func (r *rootFS) fs() (fs.FS, error) {
	if root := r.root.Load(); root != nil {
		return root.FS(), nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if root := r.root.Load(); root != nil {
		return root.FS(), nil
	}
	root, err := os.OpenRoot(r.dir)
	if err != nil {
		return nil, err
	}
	r.root.Store(root)
	return root.FS(), nil
}

func (r *rootFS) Open(name string) (fs.File, error) {
	fsys, err := r.fs()
	if err != nil {
		return nil, err
	}
	return fsys.Open(name)
}

// Stat keeps fs.Stat to one call, without opening the file.
func (r *rootFS) Stat(name string) (fs.FileInfo, error) {
	fsys, err := r.fs()
	if err != nil {
		return nil, err
	}
	return fs.Stat(fsys, name)
}
