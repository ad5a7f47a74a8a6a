package kk_test

import (
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// nginxConf is the recipe of docs/production.md, "HTTP/2 and HTTP/3 at
// the proxy": nginx terminates TLS and HTTP/2 and proxies to kk over
// HTTP/1.1 with keep-alive, saying who the client was and how it came.
// The test fills in the paths and ports.
const nginxConf = `
daemon off;
master_process off;
worker_processes 1;
pid {{dir}}/nginx.pid;
error_log {{dir}}/error.log warn;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path {{dir}}/body;
	proxy_temp_path {{dir}}/proxy;
	fastcgi_temp_path {{dir}}/fastcgi;
	uwsgi_temp_path {{dir}}/uwsgi;
	scgi_temp_path {{dir}}/scgi;

	upstream kk {
		server {{kk}};
		keepalive 32;
	}
	map $http_upgrade $connection_upgrade {
		default upgrade;
		''      '';
	}
	server {
		listen {{listen}} ssl http2;
		ssl_certificate {{dir}}/cert.pem;
		ssl_certificate_key {{dir}}/key.pem;
		ssl_protocols TLSv1.2 TLSv1.3;

		location / {
			proxy_pass http://kk;
			proxy_http_version 1.1;
			proxy_set_header Host $host;
			proxy_set_header X-Forwarded-For $remote_addr;
			proxy_set_header X-Forwarded-Proto $scheme;
			proxy_set_header Upgrade $http_upgrade;
			proxy_set_header Connection $connection_upgrade;
			proxy_buffering off;
		}
	}
}
`

// TestNginxHTTP2 serves kk behind nginx (Debian's nginx-light; .ci/run
// installs it): an HTTP/2 client over TLS reaches kk, which sees the
// client's address and https through the trusted proxy, ignores what the
// client forged, and redirects within https.
func TestNginxHTTP2(t *testing.T) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		if _, e := os.Stat("/usr/sbin/nginx"); e != nil {
			t.Skip("nginx is not installed (apt-get install nginx-light)")
		}
		nginx = "/usr/sbin/nginx"
	}
	s := &kk.Server{Listener: loopback(t), Router: whoRouter(), TrustedProxies: prefixes("127.0.0.1/32")}
	startRun(t, s)

	dir := t.TempDir()
	ca := newCA(t)
	cert := ca.issue(t, "proxy", false)
	keyDER, _ := x509.MarshalECPrivateKey(cert.PrivateKey.(*ecdsa.PrivateKey))
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("cert.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}))
	write("key.pem", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	ln := loopback(t) // a free port for nginx, released just before it binds
	listen := ln.Addr().String()
	ln.Close()
	conf := strings.NewReplacer("{{dir}}", dir, "{{kk}}", s.Stats().Addr, "{{listen}}", listen).Replace(nginxConf)
	write("nginx.conf", []byte(conf))

	cmd := exec.Command(nginx, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", listen, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case err := <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx exited: %v\n%s\n%s", err, out.String(), log)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx did not listen on %s", listen)
		}
	}

	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		ForceAttemptHTTP2: true,
		TLSClientConfig:   &tls.Config{RootCAs: ca.pool},
	}}
	defer hc.CloseIdleConnections()
	get := func(path string, header ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", "https://"+listen+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := get("/hello")
	if resp.ProtoMajor != 2 || body != "ip=127.0.0.1 scheme=https" {
		t.Errorf("through nginx: %s %q", resp.Proto, body)
	}
	if _, body := get("/hello", "X-Forwarded-For", "203.0.113.66", "X-Forwarded-Proto", "http"); body != "ip=127.0.0.1 scheme=https" {
		t.Errorf("forged headers through nginx: %q", body)
	}
	resp, _ = get("/items/abs")
	if final := resp.Request.URL; final.Scheme != "https" || final.Path != "/hello" || resp.StatusCode != 200 {
		t.Errorf("redirect through nginx ended at %s (%d)", final, resp.StatusCode)
	}
}
