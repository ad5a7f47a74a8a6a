package kk

import (
	"bytes"
	"fmt"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/internal/httpx"
)

// The path a request is routed on.
//
// fasthttp's own decoded path (RequestCtx.Path) decodes every escape
// before it removes dot segments, so "/static/..%2fhealthz" becomes
// "/healthz": an encoded slash turns into a separator, an encoded dot
// into a dot segment, and the request reaches a route its path as sent
// does not name. kk routes on a path of its own, built from the path as
// sent (URI.PathOriginal) as RFC 3986 §5.2.4 describes:
//
//   - empty segments are merged ("//" is "/"), as fasthttp and nginx do;
//   - the dot segments "." and ".." are removed, as sent (a ".." at the
//     root stays at the root);
//   - each remaining segment is then percent-decoded on its own, so an
//     escape never joins or splits segments;
//   - a segment holding an encoded slash ("%2F") is refused with 400: no
//     route can tell it from a separator, and a parameter holding a '/'
//     would hand path-building code a separator it did not ask for
//     (Apache and Tomcat refuse it by default too);
//   - a segment that decodes to "." or ".." ("%2e%2e", ".%2E") is refused
//     with 400: it is not a dot segment (RFC 3986 resolves only those as
//     sent), yet any handler joining it into a file path would treat it
//     as one.
//
// Everything else decodes as usual ("%5C" is a backslash inside its
// segment, "%252e" is the three bytes "%2e"), so a parameter or catch-all
// always receives exactly the decoded text of the segments its raw path
// names. A malformed escape is left as sent here; the server's edge
// (edge.go) answers it with 400 naming the parameter it falls in.

// PathError is a request path kk refuses to route: 400 Bad Request.
type PathError struct {
	Path   string // the path as sent
	Reason string
}

func (e *PathError) Error() string {
	return fmt.Sprintf("the path %q cannot be routed: %s", e.Path, e.Reason)
}

// StatusCode makes a PathError answer 400.
func (e *PathError) StatusCode() int { return fasthttp.StatusBadRequest }

// routePath is the path to route a request on, from the path as sent
// (raw, without query or fragment). A path with no escape, no empty
// segment and no segment starting with '.' is returned as it is: the
// common request copies nothing. Otherwise the path is built in buf,
// which the caller keeps for the next request.
func routePath(raw []byte, buf *[]byte) ([]byte, error) {
	if plainPath(raw) {
		return raw, nil
	}
	out := append((*buf)[:0], '/')
	rest := raw
	if len(rest) > 0 && rest[0] == '/' {
		rest = rest[1:]
	}
	for {
		seg, tail, more := bytes.Cut(rest, []byte{'/'})
		switch {
		case len(seg) == 0, len(seg) == 1 && seg[0] == '.':
			// merged, or the current segment: out ends with '/' already
		case len(seg) == 2 && seg[0] == '.' && seg[1] == '.':
			if len(out) > 1 {
				out = out[:bytes.LastIndexByte(out[:len(out)-1], '/')+1]
			}
		default:
			start := len(out)
			out = appendDecoded(out, seg)
			dec := out[start:]
			if bytes.IndexByte(dec, '/') >= 0 {
				*buf = out
				return nil, &PathError{Path: string(raw), Reason: fmt.Sprintf("the segment %q holds an encoded slash", seg)}
			}
			if string(dec) == "." || string(dec) == ".." {
				*buf = out
				return nil, &PathError{Path: string(raw), Reason: fmt.Sprintf("the segment %q is an encoded dot segment", seg)}
			}
			if more {
				out = append(out, '/')
			}
		}
		if !more {
			break
		}
		rest = tail
	}
	*buf = out
	return out, nil
}

// plainPath reports whether raw is routed as it is: it starts with '/'
// and holds no escape, no empty segment and no segment starting with '.'.
func plainPath(raw []byte) bool {
	if len(raw) == 0 || raw[0] != '/' {
		return false
	}
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '%':
			return false
		case '/':
			if i+1 < len(raw) && (raw[i+1] == '/' || raw[i+1] == '.') {
				return false
			}
		}
	}
	return true
}

// appendDecoded appends seg with its percent-escapes decoded; a
// malformed escape is appended as sent.
func appendDecoded(dst, seg []byte) []byte {
	for i := 0; i < len(seg); i++ {
		b := seg[i]
		if b == '%' && i+2 < len(seg) && httpx.IsHex(seg[i+1]) && httpx.IsHex(seg[i+2]) {
			b = unhex(seg[i+1])<<4 | unhex(seg[i+2])
			i += 2
		}
		dst = append(dst, b)
	}
	return dst
}

func unhex(b byte) byte {
	if b <= '9' {
		return b - '0'
	}
	return (b | 0x20) - 'a' + 10
}

// requestPath is the routing path of rc, built in buf when it differs
// from the path as sent.
func requestPath(rc *fasthttp.RequestCtx, buf *[]byte) ([]byte, error) {
	return routePath(rc.URI().PathOriginal(), buf)
}
