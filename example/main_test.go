package main

import (
	"io"
	"testing"
)

func TestListenAddr(t *testing.T) {
	for _, tc := range []struct {
		args []string
		port string
		want string
	}{
		{nil, "", ":8080"},
		{nil, "9000", ":9000"},
		{[]string{"-addr", "127.0.0.1:7000"}, "", "127.0.0.1:7000"},
		{[]string{"-addr=127.0.0.1:7000"}, "9000", "127.0.0.1:7000"},
	} {
		getenv := func(k string) string {
			if k == "PORT" {
				return tc.port
			}
			return ""
		}
		got, err := listenAddr(tc.args, getenv, io.Discard)
		if err != nil || got != tc.want {
			t.Errorf("listenAddr(%q, PORT=%q) = %q, %v; want %q", tc.args, tc.port, got, err, tc.want)
		}
	}
}

func TestRunBadUsage(t *testing.T) {
	if code := run([]string{"-h"}, func(string) string { return "" }, io.Discard); code != 0 {
		t.Errorf("run(-h) = %d, want 0", code)
	}
	for _, args := range [][]string{{"-nope"}, {"extra"}} {
		if code := run(args, func(string) string { return "" }, io.Discard); code != 2 {
			t.Errorf("run(%q) = %d, want 2", args, code)
		}
	}
}
