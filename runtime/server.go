package kk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os/signal"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"
)

// Server limits used by ListenAndServe and Serve. They bound what one slow
// or hostile client can hold: a request must arrive within ReadTimeout, its
// body may be at most MaxRequestBodySize, and an idle keep-alive connection
// is closed after IdleTimeout.
const (
	DefaultReadTimeout        = 30 * time.Second
	DefaultWriteTimeout       = 30 * time.Second
	DefaultIdleTimeout        = 2 * time.Minute
	DefaultMaxRequestBodySize = 4 << 20
	DefaultShutdownTimeout    = 10 * time.Second
)

// NewServer is the fasthttp server ListenAndServe and Serve run: the
// router's handler with kk's default limits. Adjust its fields before
// serving to change them.
func NewServer(r *Router) *fasthttp.Server {
	return &fasthttp.Server{
		Handler:            r.Handler(),
		Name:               "kk",
		ReadTimeout:        DefaultReadTimeout,
		WriteTimeout:       DefaultWriteTimeout,
		IdleTimeout:        DefaultIdleTimeout,
		MaxRequestBodySize: DefaultMaxRequestBodySize,
		CloseOnShutdown:    true,
		Logger:             fasthttpLogger{r},
		ErrorHandler:       readError,
	}
}

// readError answers a request fasthttp could not read, before any routing:
// 413 for a body over MaxRequestBodySize, 431 for oversized headers, 408
// for a read timeout, else 400; each as a problem-details body.
func readError(rc *fasthttp.RequestCtx, err error) {
	status := fasthttp.StatusBadRequest
	var small *fasthttp.ErrSmallBuffer
	switch {
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		status = fasthttp.StatusRequestEntityTooLarge
	case errors.As(err, &small):
		status = fasthttp.StatusRequestHeaderFieldsTooLarge
	case isTimeout(err):
		status = fasthttp.StatusRequestTimeout
	}
	body, _ := json.Marshal(NewProblem(status, fmt.Errorf("reading the request: %w", err)))
	rc.Response.Reset()
	rc.SetStatusCode(status)
	rc.SetContentType("application/problem+json")
	rc.SetBody(body)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// ListenAndServe serves r on addr until SIGINT or SIGTERM, then stops
// accepting, lets requests in flight finish (up to DefaultShutdownTimeout)
// and returns nil. Once listening it logs the bound address (useful with
// port 0) to the router's logger.
func ListenAndServe(addr string, r *Router) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	r.log().Info("kk: listening", "addr", ln.Addr().String())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return Serve(ctx, ln, r)
}

// Serve serves r on ln until ctx is done, then shuts down gracefully as
// ListenAndServe does. Tests use it with a loopback listener.
func Serve(ctx context.Context, ln net.Listener, r *Router) error {
	return ServeWith(ctx, ln, NewServer(r))
}

// ServeWith is Serve with a server configured by the caller, typically one
// from NewServer with changed limits.
func ServeWith(ctx context.Context, ln net.Listener, s *fasthttp.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), DefaultShutdownTimeout)
	defer cancel()
	err := s.ShutdownWithContext(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, net.ErrClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// fasthttpLogger sends fasthttp's own messages (bad requests it rejects
// before routing, connection errors) to the router's slog logger.
type fasthttpLogger struct{ r *Router }

func (l fasthttpLogger) Printf(format string, args ...any) {
	l.r.log().Warn("fasthttp: " + fmt.Sprintf(format, args...))
}
