// Package static is the file server behind kk.Static, minus the HTTP
// answer: it finds the file a cleaned request name stands for in an fs.FS
// (an os.DirFS opened as an os.Root, an embed.FS indexed once), keeps each
// file's hash, ETags and (when small) content, picks the precompressed
// sibling a client accepts, and streams large files while pushing the
// write deadline forward. kk's Static turns what it finds into headers,
// conditionals, ranges and a status.
package static

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

// Server serves the files of one fs.FS.
type Server struct {
	fsys fs.FS

	// For an embed.FS, whose contents never change: every file and every
	// directory holding an index.html, built once. Requests for other
	// names never touch fsys.
	fixed bool
	files map[string]*File // "a/b.txt" → file
	dirs  map[string]*File // "a" (the root is "") → its index.html

	// For any other fs.FS: the files served so far, by name, each valid
	// while the file's size and modification time stay the same.
	seen sync.Map // string → *File

	held atomic.Int64 // bytes of file content held in memory
}

// Limits of what a Server keeps in memory. Files larger than
// maxHeldFile are streamed from the FS on every request; once maxHeld
// bytes are held, further files are streamed too.
const (
	maxHeldFile = 128 << 10
	maxHeld     = 64 << 20
)

// New serves the files under dir ("" or "." for the root) of fsys. It
// fails when dir is not a valid fs.FS path or, for an embed.FS, not a
// directory in it.
func New(fsys fs.FS, dir string) (*Server, error) {
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
	s := &Server{fsys: fsys, fixed: fixed}
	if fixed {
		if err := s.index(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// index lists an embed.FS's files and the directories with an index.html,
// and links each file to its precompressed siblings.
func (s *Server) index() error {
	s.files, s.dirs = map[string]*File{}, map[string]*File{}
	err := fs.WalkDir(s.fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		s.files[name] = newFile(name, info)
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

// Find is the file for the cleaned name (CleanName), or its directory's index.html,
// or nil when there is none.
func (s *Server) Find(name string, isDir bool) (*File, error) {
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
func (s *Server) current(name string, info fs.FileInfo) *File {
	v, ok := s.seen.Load(name)
	if ok {
		if f := v.(*File); f.Size == info.Size() && f.Mod.Equal(info.ModTime()) {
			return f
		}
	}
	f := newFile(name, info)
	if prev, loaded := s.seen.Swap(name, f); loaded {
		s.held.Add(-prev.(*File).heldBytes.Swap(0)) // the old content is let go
	}
	return f
}

// Sibling picks the representation to send: the precompressed sibling the
// client prefers among those that exist, else f itself.
func (s *Server) Sibling(f *File, accept []byte) (*File, httpx.Coding, error) {
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
			if info, err := fs.Stat(s.fsys, f.Name+cd.Suffix()); err == nil && info.Mode().IsRegular() {
				sib = s.current(f.Name+cd.Suffix(), info)
			}
		}
		if sib != nil {
			if err := sib.Load(s); err != nil {
				return nil, 0, err
			}
			return sib, cd, nil
		}
		offered &^= 1 << cd
	}
	return f, httpx.Identity, nil
}

// Open opens f's file and seeks to start, for a Body.
func (s *Server) Open(f *File, start int64) (fs.File, error) {
	file, err := s.fsys.Open(f.Name)
	if err != nil {
		return nil, fmt.Errorf("kk: Static: opening %s: %w", f.Name, err)
	}
	if start > 0 {
		if sk, ok := file.(io.Seeker); ok {
			_, err = sk.Seek(start, io.SeekStart)
		} else {
			_, err = io.CopyN(io.Discard, file, start)
		}
		if err != nil {
			_ = file.Close()
			return nil, fmt.Errorf("kk: Static: seeking in %s: %w", f.Name, err)
		}
	}
	return file, nil
}

// Body is a file's bytes on their way to the client, closed by
// fasthttp once the body is sent (or the connection is gone). It sends
// fileChunk bytes at a time (an *os.File inside an io.LimitedReader,
// which fasthttp and the net package turn into sendfile) and, while the
// client keeps taking them, pushes the write deadline forward: the
// server's WriteTimeout bounds a stall, not a download, as for an
// io.Reader result (kk's stream.go).
type Body struct {
	file    fs.File
	left    int64
	rc      *fasthttp.RequestCtx
	timeout time.Duration // the server's WriteTimeout, or 0
	armed   time.Time
}

// NewBody is n bytes of file on their way to rc's client; timeout is the
// server's WriteTimeout, or 0.
func NewBody(file fs.File, n int64, rc *fasthttp.RequestCtx, timeout time.Duration) *Body {
	return &Body{file: file, left: n, rc: rc, timeout: timeout}
}

// fileChunk is how much of a file goes out between two deadline checks.
const fileChunk = 64 << 10

func (b *Body) Read(p []byte) (int, error) {
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
func (b *Body) SupportsBodyWriteTo() bool { return true }

func (b *Body) WriteTo(w io.Writer) (int64, error) {
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

func (b *Body) rearm() {
	now := time.Now()
	if now.Sub(b.armed) < b.timeout/4 {
		return
	}
	b.armed = now
	_ = b.rc.SetWriteDeadline(now.Add(b.timeout))
}

func (b *Body) Close() error { return b.file.Close() }

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
// use (the directory need not exist yet when New is called) and kept
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
