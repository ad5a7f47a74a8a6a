package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// readiness is the service's readiness probe, GET /readyz on each of its
// servers: 204 while it takes traffic, 503 once it has been asked to stop.
// An orchestrator (a Kubernetes readinessProbe, a load balancer's health
// check) stops sending new requests to an instance whose probe fails,
// while /healthz, the liveness probe, goes on answering: the process is
// fine, it is leaving.
//
// It is router-wide middleware rather than a route, so that every server
// answers it, whatever routes its generated router has: it answers only
// what no route matched.
type readiness struct{ draining atomic.Bool }

func (rd *readiness) probe(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		if c.Route() != nil || string(c.Path()) != "/readyz" || !(c.IsGet() || c.IsHead()) {
			return next(c)
		}
		c.Response.Header.Set("Cache-Control", "no-store")
		if rd.draining.Load() {
			c.SetStatusCode(http.StatusServiceUnavailable)
			return kk.Text(c, "draining\n")
		}
		return kk.NoContent(c)
	}
}

// drainDelay is how long /readyz fails before the servers drain: the
// DRAIN_DELAY environment variable (a Go duration, "10s"), else 0. Behind
// a load balancer, set it to a little more than the time the balancer
// takes to notice a failing probe (its interval times its threshold), so
// that no new request arrives once the drain has begun.
func drainDelay(getenv func(string) string) (time.Duration, error) {
	v := getenv("DRAIN_DELAY")
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("DRAIN_DELAY=%q: want a duration such as 10s", v)
	}
	return d, nil
}

// drainAfter is the readiness flip: it returns the context to run the
// servers with, which ends once stop has ended (the first SIGINT or
// SIGTERM) and rd's probe has then failed for delay, or at once on another
// SIGINT or SIGTERM, for an operator who will not wait. kk.Run drains only
// then. The returned cancel ends it too.
func drainAfter(stop context.Context, rd *readiness, delay time.Duration, logger *slog.Logger) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-stop.Done():
		case <-ctx.Done():
			return
		}
		again := make(chan os.Signal, 1)
		signal.Notify(again, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(again)
		rd.draining.Store(true)
		logger.Info("draining: /readyz answers 503; the servers stop after the delay, or at once on another SIGINT or SIGTERM",
			"delay", delay)
		wait := time.NewTimer(delay)
		defer wait.Stop()
		select {
		case <-wait.C:
		case <-again:
		case <-ctx.Done():
		}
		cancel()
	}()
	return ctx, cancel
}
