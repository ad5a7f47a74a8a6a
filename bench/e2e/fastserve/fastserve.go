// Package fastserve runs a fasthttp handler the way kk.ListenAndServe runs
// kk's: a fasthttp.Server with the shared limits, until SIGINT or SIGTERM.
package fastserve

import (
	"context"
	"net"
	"os/signal"
	"syscall"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/bench/e2e/workload"
)

// ListenAndServe serves h on addr with kk's default limits.
func ListenAndServe(addr string, h fasthttp.RequestHandler) error {
	s := &fasthttp.Server{
		Handler:            h,
		Name:               "kk",
		ReadTimeout:        workload.ReadTimeout,
		WriteTimeout:       workload.WriteTimeout,
		IdleTimeout:        workload.IdleTimeout,
		MaxRequestBodySize: workload.MaxRequestBodySize,
		ReadBufferSize:     workload.MaxHeaderSize,
		CloseOnShutdown:    true,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); s.Shutdown() }()
	return s.Serve(ln)
}
