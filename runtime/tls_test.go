package kk_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/crypto/acme/autocert"

	kk "github.com/kommandkit/kk/runtime"
)

// testCA is a certificate authority made for one test, which issues
// server and client certificates.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
	pem  []byte
}

var serial atomic.Int64

func newCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial.Add(1)),
		Subject:               pkix.Name{CommonName: "kk test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue makes a certificate for cn (and, for a server, 127.0.0.1 and the
// DNS names), signed by the CA.
func (ca *testCA) issue(t *testing.T, cn string, client bool, dns ...string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial.Add(1)),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     dns,
	}
	if client {
		tmpl.ExtKeyUsage, tmpl.IPAddresses = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, nil
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// tlsRouter answers GET /hello with the scheme kk sees, and the client
// certificate's name when there is one.
func tlsRouter() *kk.Router {
	return kk.New(table(map[string]kk.Handler{"Hello": func(c *kk.Ctx) error {
		msg := "scheme=" + c.Scheme()
		if st := c.TLSConnectionState(); st != nil && len(st.PeerCertificates) > 0 {
			msg += " client=" + st.PeerCertificates[0].Subject.CommonName
		}
		return kk.Text(c, msg)
	}}))
}

// httpsClient trusts ca and asks for HTTP/2 first, as browsers and curl
// do.
func httpsClient(ca *testCA, certs ...tls.Certificate) *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		ForceAttemptHTTP2: true,
		TLSClientConfig:   &tls.Config{RootCAs: ca.pool, Certificates: certs, NextProtos: []string{"h2", "http/1.1"}},
	}}
}

func httpsURL(s *kk.Server, path string) string { return "https://" + s.Stats().Addr + path }

func TestTLSServesHTTPSWithoutAdvertisingH2(t *testing.T) {
	ca := newCA(t)
	cfg := &tls.Config{Certificates: []tls.Certificate{ca.issue(t, "server", false)}, NextProtos: []string{"h2", "http/1.1"}}
	s := &kk.Server{Listener: loopback(t), Router: tlsRouter(), TLSConfig: cfg}
	startRun(t, s)

	hc := httpsClient(ca)
	defer hc.CloseIdleConnections()
	resp, err := hc.Get(httpsURL(s, "/hello"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "scheme=https" || resp.Proto != "HTTP/1.1" ||
		resp.TLS == nil || resp.TLS.NegotiatedProtocol != "http/1.1" {
		t.Errorf("GET over TLS: %d %q %s, ALPN %q", resp.StatusCode, body, resp.Proto, resp.TLS.NegotiatedProtocol)
	}
	if strings.Join(cfg.NextProtos, ",") != "h2,http/1.1" {
		t.Errorf("the user's config was changed: NextProtos %q", cfg.NextProtos)
	}

	// Plain HTTP on the TLS port is not served.
	if resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(url(s, "/hello")); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("plain HTTP served on the TLS port")
		}
	}
}

// TestTLSCurl is the same with curl, which offers h2 through ALPN and
// reported a broken pipe when the server advertised it.
func TestTLSCurl(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	ca := newCA(t)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, ca.pem, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{ca.issue(t, "server", false)}, NextProtos: []string{"h2", "http/1.1"}}
	s := &kk.Server{Listener: loopback(t), Router: tlsRouter(), TLSConfig: cfg}
	startRun(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, curl, "-sS", "--http2", "--cacert", caFile,
		"-w", " %{http_code} %{http_version}", httpsURL(s, "/hello")).CombinedOutput()
	if err != nil || string(out) != "scheme=https 200 1.1" {
		t.Errorf("curl: %v: %q", err, out)
	}
}

func TestTLSCertificateRotation(t *testing.T) {
	ca := newCA(t)
	var current atomic.Pointer[tls.Certificate]
	first := ca.issue(t, "first", false)
	current.Store(&first)
	cfg := &tls.Config{GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return current.Load(), nil }}
	s := &kk.Server{Listener: loopback(t), Router: tlsRouter(), TLSConfig: cfg}
	startRun(t, s)

	served := func(hc *http.Client) string {
		t.Helper()
		resp, err := hc.Get(httpsURL(s, "/hello"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.TLS.PeerCertificates[0].Subject.CommonName
	}
	old := httpsClient(ca)
	defer old.CloseIdleConnections()
	if got := served(old); got != "first" {
		t.Fatalf("served %q, want first", got)
	}
	second := ca.issue(t, "second", false)
	current.Store(&second)
	fresh := httpsClient(ca)
	defer fresh.CloseIdleConnections()
	if got := served(fresh); got != "second" {
		t.Errorf("a new connection after the swap was served %q, want second", got)
	}
	if got := served(old); got != "first" {
		t.Errorf("the open connection was served %q; it should go on with first", got)
	}
}

func TestTLSMutual(t *testing.T) {
	ca := newCA(t)
	cfg := &tls.Config{
		Certificates: []tls.Certificate{ca.issue(t, "server", false)},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    ca.pool,
	}
	s := &kk.Server{Listener: loopback(t), Router: tlsRouter(), TLSConfig: cfg, Logger: discard()}
	startRun(t, s)

	anon := httpsClient(ca)
	defer anon.CloseIdleConnections()
	if resp, err := anon.Get(httpsURL(s, "/hello")); err == nil {
		resp.Body.Close()
		t.Fatalf("a client without a certificate was served %d", resp.StatusCode)
	}
	stranger := httpsClient(ca, newCA(t).issue(t, "mallory", true))
	defer stranger.CloseIdleConnections()
	if resp, err := stranger.Get(httpsURL(s, "/hello")); err == nil {
		resp.Body.Close()
		t.Fatalf("a client with a certificate of another CA was served %d", resp.StatusCode)
	}
	alice := httpsClient(ca, ca.issue(t, "alice", true))
	defer alice.CloseIdleConnections()
	st, body, _ := send(t, alice, "GET", httpsURL(s, "/hello"), nil)
	if st != 200 || body != "scheme=https client=alice" {
		t.Errorf("client with a certificate: %d %q", st, body)
	}
}

func TestTLSConfigWithoutCertificate(t *testing.T) {
	s := &kk.Server{Listener: loopback(t), Router: tlsRouter(), TLSConfig: &tls.Config{}}
	err := kk.Run(context.Background(), s)
	if err == nil || !strings.Contains(err.Error(), "TLSConfig") {
		t.Errorf("Run with a TLSConfig without certificates: %v", err)
	}
}

// TestTLSGetConfigForClient: a config chosen per client is served
// without h2 as well.
func TestTLSGetConfigForClient(t *testing.T) {
	ca := newCA(t)
	sub := &tls.Config{Certificates: []tls.Certificate{ca.issue(t, "server", false)}, NextProtos: []string{"h2"}}
	cfg := &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) { return sub, nil }}
	s := &kk.Server{Listener: loopback(t), Router: tlsRouter(), TLSConfig: cfg}
	startRun(t, s)
	hc := httpsClient(ca)
	defer hc.CloseIdleConnections()
	resp, err := hc.Get(httpsURL(s, "/hello"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Proto != "HTTP/1.1" {
		t.Errorf("GET: %d %s", resp.StatusCode, resp.Proto)
	}
}

// memCache is an autocert.Cache in memory.
type memCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *memCache) Get(_ context.Context, k string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.m[k]; ok {
		return b, nil
	}
	return nil, autocert.ErrCacheMiss
}

func (c *memCache) Put(_ context.Context, k string, b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = b
	return nil
}

func (c *memCache) Delete(_ context.Context, k string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
	return nil
}

// TestTLSAutocert wires autocert's Manager as docs/production.md shows.
// The certificate it serves is one its cache already holds (in the form
// autocert stores: the key, then the chain), so no ACME server is asked;
// a host outside the HostPolicy is refused at the handshake.
func TestTLSAutocert(t *testing.T) {
	ca := newCA(t)
	cert := ca.issue(t, "app.example.test", false, "app.example.test")
	keyDER, err := x509.MarshalECPrivateKey(cert.PrivateKey.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	stored := append(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})...)
	m := &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		HostPolicy: autocert.HostWhitelist("app.example.test"),
		Cache:      &memCache{m: map[string][]byte{"app.example.test": stored}},
	}
	s := &kk.Server{Listener: loopback(t), Router: tlsRouter(), TLSConfig: m.TLSConfig(), Logger: discard()}
	startRun(t, s)

	dial := func(name string) (*tls.ConnectionState, error) {
		conn, err := tls.Dial("tcp", s.Stats().Addr, &tls.Config{ServerName: name, RootCAs: ca.pool, NextProtos: []string{"h2", "http/1.1"}})
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		st := conn.ConnectionState()
		return &st, nil
	}
	st, err := dial("app.example.test")
	if err != nil {
		t.Fatal(err)
	}
	if st.PeerCertificates[0].Subject.CommonName != "app.example.test" || st.NegotiatedProtocol != "http/1.1" {
		t.Errorf("served %q over %q", st.PeerCertificates[0].Subject.CommonName, st.NegotiatedProtocol)
	}
	if _, err := dial("other.example.test"); err == nil {
		t.Error("a host outside the HostPolicy completed a handshake")
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestTLSWebSocket: a WebSocket over TLS (wss) upgrades and echoes, on
// the TLS connection kk detaches from fasthttp.
func TestTLSWebSocket(t *testing.T) {
	ca := newCA(t)
	r := kk.New(table(map[string]kk.Handler{"Hello": func(c *kk.Ctx) error {
		return kk.UpgradeWebSocket(c, func(ctx context.Context, ws *kk.WebSocket) error {
			s, err := ws.ReadText()
			if err != nil {
				return err
			}
			return ws.WriteText("echo " + s)
		})
	}}))
	s := &kk.Server{Listener: loopback(t), Router: r, TLSConfig: &tls.Config{Certificates: []tls.Certificate{ca.issue(t, "server", false)}}}
	startRun(t, s)
	d := websocket.Dialer{TLSClientConfig: &tls.Config{RootCAs: ca.pool}, HandshakeTimeout: 10 * time.Second}
	conn, resp, err := d.Dial("wss://"+s.Stats().Addr+"/hello", nil)
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := conn.WriteMessage(websocket.TextMessage, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	if _, msg, err := conn.ReadMessage(); err != nil || string(msg) != "echo hi" {
		t.Errorf("read %q, %v", msg, err)
	}
}
