package kk_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// TestServerLimitsAnswerWithProblems sends a body over the server's limit
// through a real loopback socket: fasthttp rejects it before routing, and
// the answer is a 413 problem, not fasthttp's plain 400.
func TestServerLimitsAnswerWithProblems(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &kk.Server{Listener: ln, Router: kk.New(table(nil)), MaxBodySize: 1 << 10}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- kk.Run(ctx, s) }()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("server did not stop")
		}
	}()
	url := "http://" + ln.Addr().String()
	resp, err := http.Post(url+"/items/1", "application/octet-stream", bytes.NewReader(make([]byte, 4<<10)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 413 || resp.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(body), `"status":413`) {
		t.Errorf("oversized body: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	resp, err = http.Get(url + "/hello")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 {
		t.Errorf("after the rejected request: %d", resp.StatusCode)
	}
}
