package kk

import (
	"crypto/tls"
	"errors"
	"net"
	"slices"
)

// A Server with a TLSConfig serves HTTPS: the listener's connections
// complete a TLS handshake before fasthttp reads a request from them, and
// each request's c.IsTLS() is true. What the config says is used as it is
// (certificates, GetCertificate, ClientAuth and ClientCAs, versions,
// cipher suites), with one exception: kk serves HTTP/1.1 only, so it
// never advertises a protocol it does not serve. The config is cloned and
// "h2" (and "h2c") are taken out of its NextProtos, also from the configs
// a GetConfigForClient returns, and "http/1.1" is added when missing, so
// a client that offers h2 settles on HTTP/1.1 through ALPN instead of
// speaking HTTP/2 to an HTTP/1.1 server. Other protocols stay: autocert's
// "acme-tls/1" is answered during the handshake.
//
// Certificates are replaceable without a restart through GetCertificate,
// which is asked at every handshake (see docs/production.md).

// serverTLS is the config a Server serves with: cfg cloned, with HTTP/2
// taken out of what it advertises. It fails when cfg has no way to find a
// certificate.
func serverTLS(cfg *tls.Config) (*tls.Config, error) {
	if cfg == nil {
		return nil, nil
	}
	if len(cfg.Certificates) == 0 && cfg.GetCertificate == nil && cfg.GetConfigForClient == nil {
		return nil, errors.New("kk: TLSConfig has no Certificates, GetCertificate or GetConfigForClient")
	}
	c := withoutH2(cfg)
	if get := cfg.GetConfigForClient; get != nil {
		c.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			sub, err := get(hello)
			if sub == nil || err != nil {
				return sub, err
			}
			return withoutH2(sub), nil
		}
	}
	return c, nil
}

// withoutH2 clones cfg without "h2" and "h2c" in its NextProtos, and with
// "http/1.1" first when it was not there.
func withoutH2(cfg *tls.Config) *tls.Config {
	c := cfg.Clone()
	c.NextProtos = slices.DeleteFunc(slices.Clone(cfg.NextProtos), func(p string) bool { return p == "h2" || p == "h2c" })
	if !slices.Contains(c.NextProtos, "http/1.1") {
		c.NextProtos = append([]string{"http/1.1"}, c.NextProtos...)
	}
	return c
}

// tlsListener is ln serving s's TLS config, or ln itself without one.
func (s *Server) tlsListener(ln net.Listener) net.Listener {
	if s.tls == nil {
		return ln
	}
	return tls.NewListener(ln, s.tls)
}
