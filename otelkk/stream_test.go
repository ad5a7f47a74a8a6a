package otelkk_test

import (
	"io"
	"strings"
	"sync/atomic"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/kommandkit/kk/otelkk"
	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// spyReader yields n bytes and counts the bytes read from it.
type spyReader struct {
	left int64
	read atomic.Int64
}

func (s *spyReader) Read(p []byte) (int, error) {
	if s.left <= 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), s.left))
	s.left -= int64(n)
	s.read.Add(int64(n))
	return n, nil
}

// TestStreamsAreNotRead: an io.Reader result and a streamed request body
// pass through the middleware unread (reading either would buffer it whole
// in memory, and take the response's from the client). The outermost
// middleware swaps the request's body for a spy and checks, once the
// tracing middleware (with AllMetrics) and the chain have returned, that neither spy was
// read; then the client gets every byte.
func TestStreamsAreNotRead(t *testing.T) {
	const size = 8 << 20
	var resp, req *spyReader
	routes := []kk.Route{{Method: "POST", Pattern: "/stream", Name: "Stream", StreamBody: true, BodyLimit: 1 << 30,
		Handler: func(c *kk.Ctx) error {
			resp = &spyReader{left: size}
			return kk.Stream(c, resp)
		}}}
	r := kk.New(kk.Table{Routes: routes, Methods: []string{"POST"}, Match: func(m string, p []byte, _ *kk.Params) int {
		if m == "POST" && string(p) == "/stream" {
			return 0
		}
		return -1
	}})
	r.Use(func(next kk.Handler) kk.Handler {
		return func(c *kk.Ctx) error {
			req = &spyReader{left: size}
			c.Request.SetBodyStream(req, size)
			err := next(c)
			if n := req.read.Load(); n > 0 {
				t.Errorf("%d bytes of the request's body stream read after the chain", n)
			}
			if resp == nil {
				t.Error("handler did not run")
			} else if n := resp.read.Load(); n > 0 {
				t.Errorf("%d bytes of the response's stream read before it was sent", n)
			}
			return err
		}
	}, otelkk.Middleware(otelkk.Config{AllMetrics: true, TracerProvider: sdktrace.NewTracerProvider(), MeterProvider: sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))}))
	s := kktest.NewServer(t, r)
	res, err := s.Client().Post(s.URL+"/stream", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if n != size {
		t.Errorf("client got %d bytes, want %d", n, size)
	}
}
