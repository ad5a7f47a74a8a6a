package otelkk

import "testing"

// TestSpanKeyFound: the OpenTelemetry linked keeps spans as the
// middleware expects, so requests take the path without a context each.
func TestSpanKeyFound(t *testing.T) {
	if spanKey == nil {
		t.Fatal("spanKey not found: every request makes its context")
	}
}
