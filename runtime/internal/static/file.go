package static

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/internal/httpx"
)

// File is what a Server knows about one file: its metadata from
// the directory, and, once loaded, its hash and (when small) its content.
//
// Name, ContentType, Size, Mod and LastModified are set when the File is
// made; Tags and Data once Load has returned nil. None changes after.
type File struct {
	Name         string // its name in the FS
	ContentType  string
	Size         int64
	Mod          time.Time // zero when the FS does not know it
	LastModified string    // Mod as an HTTP date, or ""

	siblings [httpx.NumCodings]*File // an embed.FS's precompressed siblings, by coding

	once sync.Once
	err  error
	hash string                   // the content's SHA-256, first 128 bits, base64url
	Tags [httpx.NumCodings]string // the ETag of each representation: "hash", "hash-br", ...
	Data []byte                   // the whole content, when held; never modified

	heldBytes atomic.Int64 // what data counts in Server.held, until the entry is replaced
}

func newFile(name string, info fs.FileInfo) *File {
	f := &File{Name: name, ContentType: contentType(name), Size: info.Size(), Mod: info.ModTime()}
	if !f.Mod.IsZero() && f.Mod.Unix() > 0 {
		f.LastModified = string(fasthttp.AppendHTTPDate(nil, f.Mod))
	} else {
		f.Mod = time.Time{}
	}
	return f
}

// Load reads f once: its hash, and its content when it is small enough
// to hold. A large file is hashed as a stream.
func (f *File) Load(s *Server) error {
	f.once.Do(func() {
		file, err := s.fsys.Open(f.Name)
		if err != nil {
			f.err = fmt.Errorf("kk: Static: opening %s: %w", f.Name, err)
			return
		}
		defer file.Close()
		h := sha256.New()
		if f.Size <= maxHeldFile && s.held.Add(f.Size) <= maxHeld {
			data := make([]byte, 0, f.Size)
			data, err = readAll(file, data)
			if err == nil && int64(len(data)) == f.Size {
				f.Data = data
				f.heldBytes.Store(f.Size)
			} else {
				s.held.Add(-f.Size)
			}
			h.Write(data)
		} else {
			_, err = io.Copy(h, file)
		}
		if err != nil {
			f.err = fmt.Errorf("kk: Static: reading %s: %w", f.Name, err)
			return
		}
		var sum [sha256.Size]byte
		f.hash = base64.RawURLEncoding.EncodeToString(h.Sum(sum[:0])[:16])
		f.Tags[httpx.Identity] = `"` + f.hash + `"`
		for c := httpx.Brotli; c < httpx.NumCodings; c++ {
			f.Tags[c] = `"` + f.hash + "-" + c.Name() + `"`
		}
	})
	return f.err
}

// readAll reads r to its end into buf.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow: the size was wrong
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// CleanName turns the decoded catch-all of a static route into the name
// to open: "" is the root ("."), a trailing slash asks for a directory.
// It refuses, rather than repairs, anything that is not a plain relative
// name: invalid UTF-8 (which covers overlong encodings), NUL and other
// control bytes, backslashes, empty segments, and any segment starting
// with "." (so "..", "." and hidden files alike). What is left passes
// fs.ValidPath, so it cannot leave the FS's root.
func CleanName(raw []byte) (name string, isDir, ok bool) {
	if len(raw) == 0 {
		return ".", true, true
	}
	if raw[len(raw)-1] == '/' {
		raw, isDir = raw[:len(raw)-1], true
	}
	if len(raw) == 0 || !utf8.Valid(raw) {
		return "", false, false
	}
	segStart := true
	for _, b := range raw {
		switch {
		case b < 0x20 || b == 0x7f || b == '\\':
			return "", false, false
		case b == '/':
			if segStart {
				return "", false, false // an empty segment
			}
			segStart = true
			continue
		case segStart && b == '.':
			return "", false, false
		}
		segStart = false
	}
	if segStart {
		return "", false, false // a trailing empty segment ("a//")
	}
	name = string(raw)
	if !fs.ValidPath(name) {
		return "", false, false
	}
	return name, isDir, true
}

// contentTypes is the fixed table of common types, the same on every
// machine; other extensions fall back to mime.TypeByExtension.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
	".xml":         "application/xml",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".wasm":        "application/wasm",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".ttf":         "font/ttf",
	".otf":         "font/otf",
	".pdf":         "application/pdf",
	".zip":         "application/zip",
	".gz":          "application/gzip",
	".br":          "application/octet-stream",
	".zst":         "application/zstd",
	".mp3":         "audio/mpeg",
	".ogg":         "audio/ogg",
	".wav":         "audio/wav",
	".mp4":         "video/mp4",
	".webm":        "video/webm",
}

// contentType is the Content-Type for a file name, by its extension.
func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if ct, ok := contentTypes[ext]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}
