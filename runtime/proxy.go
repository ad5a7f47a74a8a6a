package kk

import (
	"bytes"
	"net"
	"net/netip"

	"github.com/valyala/fasthttp"
)

// Behind a load balancer or a TLS-terminating proxy, the peer of every
// connection is the proxy. The proxy says who the client was in a
// Forwarded header (RFC 7239) or in X-Forwarded-For and X-Forwarded-Proto,
// but anyone can send those headers: they are believed only from a peer in
// Server.TrustedProxies, and only as far back as the chain of trusted
// proxies goes. The client is the rightmost address in the list that is
// not a trusted proxy: every address to its right was added by a proxy kk
// trusts, and everything to its left was written by the client (or by a
// proxy kk does not know) and can be made up.

// trustedKey is the user value under which a server with TrustedProxies
// hands its list to the request's Ctx.
type trustedKey struct{}

// trusted is a server's TrustedProxies.
type trusted []netip.Prefix

func (t trusted) contains(a netip.Addr) bool {
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// proxied is h, told the server's trusted proxies when it has any. A
// server without them costs nothing per request.
func (s *Server) proxied(h fasthttp.RequestHandler) fasthttp.RequestHandler {
	if len(s.TrustedProxies) == 0 {
		return h
	}
	t := make(trusted, len(s.TrustedProxies))
	for i, p := range s.TrustedProxies {
		t[i] = p.Masked()
		if a := p.Addr(); a.Is4In6() { // ::ffff:10.0.0.0/104 is 10.0.0.0/8
			t[i] = netip.PrefixFrom(a.Unmap(), max(p.Bits()-96, 0)).Masked()
		}
	}
	tp := &t
	return func(rc *fasthttp.RequestCtx) {
		rc.SetUserValue(trustedKey{}, tp)
		h(rc)
	}
}

// ClientIP is the address of the client that sent the request: the
// connection's peer, or, when the peer is one of the server's
// TrustedProxies, the rightmost address of the Forwarded header's for=
// parameters (else of X-Forwarded-For) that is not a trusted proxy. It is
// the zero Addr on a connection without an IP peer (a unix socket) or
// when the trusted proxy forwarded an obfuscated or "unknown" client.
// IPv4 addresses are never returned in their IPv6-mapped form.
func (c *Ctx) ClientIP() netip.Addr {
	ip, _ := c.forwarded()
	return ip
}

// Scheme is the scheme the client used: "https" or "http". It is the
// connection's own (https when the server has a TLSConfig), or, when the
// peer is a trusted proxy, the proto= of the Forwarded element that named
// the client (else the rightmost X-Forwarded-Proto).
func (c *Ctx) Scheme() string {
	_, scheme := c.forwarded()
	return scheme
}

// forwarded works out the client's address and scheme.
func (c *Ctx) forwarded() (netip.Addr, string) {
	peer := peerAddr(c.RemoteAddr())
	scheme := "http"
	if c.IsTLS() {
		scheme = "https"
	}
	tp, _ := c.RequestCtx.UserValue(trustedKey{}).(*trusted)
	if tp == nil || !peer.IsValid() || !tp.contains(peer) {
		return peer, scheme
	}
	h := &c.Request.Header
	if fw := h.PeekAll("Forwarded"); len(fw) > 0 {
		return fromForwarded(fw, *tp, peer, scheme)
	}
	ip := peer
	if xff := h.PeekAll("X-Forwarded-For"); len(xff) > 0 {
		ip = fromXFF(xff, *tp, peer)
	}
	if p := lastListItem(h.PeekAll("X-Forwarded-Proto")); len(p) > 0 {
		scheme = normScheme(p, scheme)
	}
	return ip, scheme
}

// peerAddr is the IP of a connection's peer, unmapped, or the zero Addr.
func peerAddr(a net.Addr) netip.Addr {
	if ta, ok := a.(*net.TCPAddr); ok {
		ip, _ := netip.AddrFromSlice(ta.IP)
		return ip.Unmap()
	}
	return netip.Addr{}
}

// fromXFF walks X-Forwarded-For from the right, past trusted proxies.
func fromXFF(lines [][]byte, t trusted, peer netip.Addr) netip.Addr {
	ip := peer
	for i := len(lines) - 1; i >= 0; i-- {
		rest := lines[i]
		for len(rest) > 0 {
			var item []byte
			if j := bytes.LastIndexByte(rest, ','); j >= 0 {
				item, rest = rest[j+1:], rest[:j]
			} else {
				item, rest = rest, nil
			}
			item = bytes.TrimSpace(item)
			if len(item) == 0 {
				continue
			}
			a, ok := parseNode(item)
			if !ok {
				return netip.Addr{} // a hop kk cannot read: the client is unknown
			}
			if !t.contains(a) {
				return a
			}
			ip = a
		}
	}
	return ip // every hop is a trusted proxy: the leftmost is the client
}

// fromForwarded walks the Forwarded elements from the right, past trusted
// proxies, and takes the scheme of the element that names the client.
func fromForwarded(lines [][]byte, t trusted, peer netip.Addr, scheme string) (netip.Addr, string) {
	ip := peer
	for i := len(lines) - 1; i >= 0; i-- {
		rest := lines[i]
		for len(rest) > 0 {
			var elem []byte
			if j := lastUnquoted(rest, ','); j >= 0 {
				elem, rest = rest[j+1:], rest[:j]
			} else {
				elem, rest = rest, nil
			}
			forv, proto := forwardedPairs(elem)
			if forv == nil {
				continue // an element without for= says nothing about the client
			}
			if proto != nil {
				scheme = normScheme(proto, scheme)
			}
			a, ok := parseNode(forv)
			if !ok {
				return netip.Addr{}, scheme // "unknown", an obfuscated node or garbage
			}
			if !t.contains(a) {
				return a, scheme
			}
			ip = a
		}
	}
	return ip, scheme
}

// forwardedPairs finds the for= and proto= values of one Forwarded
// element (pairs separated by ';', values maybe quoted).
func forwardedPairs(elem []byte) (forv, proto []byte) {
	for len(elem) > 0 {
		var pair []byte
		if j := firstUnquoted(elem, ';'); j >= 0 {
			pair, elem = elem[:j], elem[j+1:]
		} else {
			pair, elem = elem, nil
		}
		k, v, ok := bytes.Cut(bytes.TrimSpace(pair), []byte("="))
		if !ok {
			continue
		}
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		switch {
		case bytes.EqualFold(k, []byte("for")):
			forv = v
		case bytes.EqualFold(k, []byte("proto")):
			proto = v
		}
	}
	return forv, proto
}

// parseNode reads a node: an IPv4 address, an IPv6 one in brackets, either
// with a port ("192.0.2.1:8080", "[2001:db8::1]:443"), or a bare IPv6
// address as X-Forwarded-For writes it.
func parseNode(b []byte) (netip.Addr, bool) {
	s := b2s(b)
	if len(s) > 0 && s[0] == '[' {
		end := -1
		for i := range len(s) {
			if s[i] == ']' {
				end = i
				break
			}
		}
		if end < 0 {
			return netip.Addr{}, false
		}
		s = s[1:end]
	} else if i := lastColon(s); i >= 0 && countColons(s) == 1 {
		s = s[:i] // IPv4 with a port
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

func lastColon(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ':' {
			return i
		}
	}
	return -1
}

func countColons(s string) int {
	n := 0
	for i := range len(s) {
		if s[i] == ':' {
			n++
		}
	}
	return n
}

// lastUnquoted is the index of the last sep outside a quoted string.
func lastUnquoted(b []byte, sep byte) int {
	last, quoted := -1, false
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '\\' && quoted:
			i++
		case b[i] == '"':
			quoted = !quoted
		case b[i] == sep && !quoted:
			last = i
		}
	}
	return last
}

// firstUnquoted is the index of the first sep outside a quoted string.
func firstUnquoted(b []byte, sep byte) int {
	quoted := false
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '\\' && quoted:
			i++
		case b[i] == '"':
			quoted = !quoted
		case b[i] == sep && !quoted:
			return i
		}
	}
	return -1
}

// lastListItem is the rightmost item of a comma-separated header.
func lastListItem(lines [][]byte) []byte {
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		if j := bytes.LastIndexByte(l, ','); j >= 0 {
			l = l[j+1:]
		}
		if l = bytes.TrimSpace(l); len(l) > 0 {
			return l
		}
	}
	return nil
}

// normScheme is "https" or "http" for a forwarded proto, else def: a
// proxy's word is taken for these two and nothing else.
func normScheme(p []byte, def string) string {
	switch {
	case bytes.EqualFold(p, []byte("https")), bytes.EqualFold(p, []byte("wss")):
		return "https"
	case bytes.EqualFold(p, []byte("http")), bytes.EqualFold(p, []byte("ws")):
		return "http"
	}
	return def
}

// clientIP is ClientIP as a log attribute: "" when there is none.
func clientIP(c *Ctx) string {
	if ip := c.ClientIP(); ip.IsValid() {
		return ip.String()
	}
	return ""
}
