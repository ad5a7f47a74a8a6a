package kk_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// TestServerLimitsAnswerWithProblems sends a body over the server's limit
// through a real loopback socket: fasthttp rejects it before routing, and
// the answer is a 413 problem, not fasthttp's plain 400.
func TestServerLimitsAnswerWithProblems(t *testing.T) {
	url := kktest.StartTCP(t, &kk.Server{Router: kk.New(table(nil)), MaxBodySize: 1 << 10}).URL
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
