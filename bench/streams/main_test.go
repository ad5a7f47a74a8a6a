package main

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	raiseFileLimit()
	serveIfChild() // the test binary is also the benchmark's server
	os.Exit(m.Run())
}

// TestSmall runs the whole benchmark small, so it cannot rot: every
// server and direction once with 8 MiB, and 50 event streams.
func TestSmall(t *testing.T) {
	if err := transfers(8<<20, 1); err != nil {
		t.Fatal(err)
	}
	if err := eventStreams(50); err != nil {
		t.Fatal(err)
	}
}
