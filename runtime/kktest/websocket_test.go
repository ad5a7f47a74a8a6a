package kktest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

func TestDialWebSocket(t *testing.T) {
	r := kk.New(kk.Table{
		Routes: []kk.Route{{Method: "GET", Pattern: "/ws", Name: "WS", Handler: func(c *kk.Ctx) error {
			if err := kk.CheckWebSocket(c); err != nil {
				return err
			}
			if string(c.Request.Header.Peek("Authorization")) != "Bearer t" {
				return kk.Error(401, "token required")
			}
			return kk.UpgradeWebSocket(c, func(ctx context.Context, ws *kk.WebSocket) error {
				for {
					s, err := ws.ReadText()
					if err != nil {
						return err
					}
					if err := ws.WriteText(strings.ToUpper(s)); err != nil {
						return err
					}
				}
			})
		}}},
		Match: func(method string, p []byte, _ *kk.Params) int {
			if string(p) == "/ws" {
				return 0
			}
			return -1
		},
		Methods: []string{"GET"},
	})
	s := kktest.NewServer(t, r)
	ctx := context.Background()
	if _, err := s.DialWebSocket(ctx, "/ws", nil); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("without the token: %v; want a 401", err)
	}
	ws, err := s.DialWebSocket(ctx, "/ws", http.Header{"Authorization": {"Bearer t"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.WriteText("hi"); err != nil {
		t.Fatal(err)
	}
	if got, err := ws.ReadText(); err != nil || got != "HI" {
		t.Fatalf("echo = %q, %v", got, err)
	}
	if err := ws.Close(1000, "bye"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ws.ReadMessage(); !errors.Is(err, io.EOF) {
		t.Errorf("after Close: %v; want io.EOF", err)
	}
}
