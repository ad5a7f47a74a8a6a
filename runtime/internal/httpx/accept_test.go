package httpx

import "testing"

// BenchmarkNegotiate is the cost of kk's Accept-Encoding negotiation on a
// browser's header: it parses q-values and allocates nothing.
func BenchmarkNegotiate(b *testing.B) {
	h := []byte("gzip, deflate, br, zstd;q=0.9, *;q=0.1")
	b.ReportAllocs()
	for b.Loop() {
		if Negotiate(h, AllCodings) != Brotli {
			b.Fatal("want br")
		}
	}
}

func TestNegotiateAllocs(t *testing.T) {
	h := []byte("br;q=0.5, gzip;q=0.8, zstd;q=0")
	if n := testing.AllocsPerRun(100, func() { Negotiate(h, AllCodings) }); n != 0 {
		t.Errorf("Negotiate allocates %v times; want 0", n)
	}
	if got := Negotiate(h, AllCodings); got != Gzip {
		t.Errorf("Negotiate(%q) = %v; want gzip", h, got)
	}
}
