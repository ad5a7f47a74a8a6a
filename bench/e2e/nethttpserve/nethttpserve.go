// Package nethttpserve runs a net/http handler with the shared limits
// until SIGINT or SIGTERM.
package nethttpserve

import (
	"context"
	"errors"
	"net/http"
	"os/signal"
	"syscall"

	"github.com/kommandkit/kk/bench/e2e/workload"
)

// ListenAndServe serves h on addr.
func ListenAndServe(addr string, h http.Handler) error {
	s := &http.Server{
		Addr:           addr,
		Handler:        h,
		ReadTimeout:    workload.ReadTimeout,
		WriteTimeout:   workload.WriteTimeout,
		IdleTimeout:    workload.IdleTimeout,
		MaxHeaderBytes: 1 << 20,
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); s.Shutdown(context.Background()) }()
	if err := s.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// LimitBody caps a request body at workload.MaxRequestBodySize, as the
// fasthttp servers do.
func LimitBody(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, workload.MaxRequestBodySize)
}
