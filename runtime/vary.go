package kk

import (
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/internal/httpx"
)

// addVary adds the request header name to the response's Vary header
// unless it is there already (in any case) or Vary is "*", so that a
// response that varies for several reasons (compression, CORS) names each
// once, on one line (RFC 9110 §12.5.5).
func addVary(hdr *fasthttp.ResponseHeader, name string) {
	v := hdr.Peek(fasthttp.HeaderVary)
	if len(v) == 0 {
		hdr.Set(fasthttp.HeaderVary, name)
		return
	}
	for rest := v; len(rest) > 0; {
		var item []byte
		item, rest = httpx.CutByte(rest, ',')
		item = httpx.TrimOWS(item)
		if strings.EqualFold(b2s(item), name) || (len(item) == 1 && item[0] == '*') {
			return
		}
	}
	nv := make([]byte, 0, len(v)+2+len(name))
	nv = append(append(append(nv, v...), ", "...), name...)
	hdr.SetBytesV(fasthttp.HeaderVary, nv)
}
