// Command example is a small users-and-todos service on a kk router: an
// in-memory store, handlers annotated with //kk:route, and the kk_gen.go
// that kkgen writes from them.
//
//	go run ./example                # serves on :8080
//	PORT=9000 go run ./example      # serves on :9000
//	go run ./example -addr 127.0.0.1:9000
//
// The API lives under /api/v1 (users.go and todos.go). Reads are open;
// writes need "Authorization: Bearer $API_TOKEN" (dev-token when API_TOKEN
// is unset):
//
//	curl -i localhost:8080/api/v1/users
//	curl -i -H 'Authorization: Bearer dev-token' -H 'Content-Type: application/json' \
//		-d '{"name":"ada","email":"ada@example.com"}' localhost:8080/api/v1/users
package main

//go:generate go run ../cmd/kkgen

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"

	kk "github.com/kommandkit/kk/runtime"
)

func main() { os.Exit(run(os.Args[1:], os.Getenv, os.Stderr)) }

// run is main without the process: it parses args, then serves until
// SIGINT or SIGTERM. It returns the exit code.
func run(args []string, getenv func(string) string, stderr io.Writer) int {
	addr, err := listenAddr(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	slog.SetDefault(logger) // kk.ListenAndServe logs the bound address here
	if err := kk.ListenAndServe(addr, newRouter(logger)); err != nil {
		logger.Error("serve", "err", err)
		return 1
	}
	logger.Info("stopped")
	return 0
}

// listenAddr is the address to listen on: the -addr flag, else :$PORT,
// else :8080.
func listenAddr(args []string, getenv func(string) string, stderr io.Writer) (string, error) {
	def := ":8080"
	if port := getenv("PORT"); port != "" {
		def = ":" + port
	}
	fs := flag.NewFlagSet("example", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", def, "listen `address`; defaults to :$PORT when PORT is set")
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected arguments %q", fs.Args())
		fmt.Fprintln(stderr, "example:", err)
		return "", err
	}
	return *addr, nil
}

// newRouter is the generated router with the service's router-wide
// middleware, outermost first: a request ID for every request (echoed in
// X-Request-ID), an access log line per request, and the per-route
// counters of /stats, then compression of text and JSON answers of 1 KiB
// or more (kk.Compress). Router-wide middleware also sees the 404s and 405s
// that no route serves. Errors and panics are logged to logger too.
func newRouter(logger *slog.Logger) *kk.Router {
	r := NewRouter()
	r.SetLogger(logger)
	r.Use(kk.RequestID(), kk.AccessLog(logger), observe(requests), kk.Compress())
	return r
}

// serve serves the service on ln until ctx is done, then shuts down
// gracefully. Tests call it with a loopback listener.
func serve(ctx context.Context, ln net.Listener, logger *slog.Logger) error {
	logger.InfoContext(ctx, "listening", "addr", ln.Addr().String())
	return kk.Serve(ctx, ln, newRouter(logger))
}
