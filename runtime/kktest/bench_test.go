package kktest_test

import (
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/kktest"
)

// BenchmarkRoundTrip is one GET /hello answered by the real server, in
// memory (kktest.NewServer) and over a loopback TCP socket
// (kktest.NewTCPServer), with the same client: net/http's (what Server.Client
// gives) and fasthttp's (the cheapest client, so that the transport is
// most of what is measured). One keep-alive connection, requests one at a
// time. Besides wall time per request it reports cpu-ns/op, the process's
// CPU time (user and system, both ends) per request, which a machine busy
// with other work does not inflate.
func BenchmarkRoundTrip(b *testing.B) {
	mem := kktest.NewServer(b, echoRouter())
	tcpURL := kktest.NewTCPServer(b, echoRouter()).URL

	netHTTP := func(hc *http.Client, base string) func(b *testing.B) {
		return func(b *testing.B) {
			defer cpuPerOp(b)()
			for b.Loop() {
				resp, err := hc.Get(base + "/hello")
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatal(resp.Status)
				}
			}
		}
	}
	tcpClient := &http.Client{Transport: &http.Transport{}}
	b.Cleanup(tcpClient.CloseIdleConnections)
	b.Run("net-http/kktest", netHTTP(mem.Client(), mem.URL))
	b.Run("net-http/loopback", netHTTP(tcpClient, tcpURL))

	fast := func(c *fasthttp.HostClient, url string) func(b *testing.B) {
		return func(b *testing.B) {
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			req.SetRequestURI(url + "/hello")
			defer cpuPerOp(b)()
			for b.Loop() {
				if err := c.Do(req, resp); err != nil {
					b.Fatal(err)
				}
				if resp.StatusCode() != 200 {
					b.Fatal(resp.StatusCode())
				}
			}
		}
	}
	memFast := &fasthttp.HostClient{Addr: "kktest", MaxConns: 1, Dial: func(string) (net.Conn, error) { return mem.Dial() }}
	tcpFast := &fasthttp.HostClient{Addr: strings.TrimPrefix(tcpURL, "http://"), MaxConns: 1}
	b.Run("fasthttp/kktest", fast(memFast, mem.URL))
	b.Run("fasthttp/loopback", fast(tcpFast, tcpURL))
}

// cpuPerOp starts measuring the process's CPU time; the func it returns
// reports it per op as cpu-ns/op.
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") }
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
