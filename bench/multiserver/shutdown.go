package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

const (
	heldSize = 1 << 10
	heldWork = 400 * time.Millisecond // what each held request does once the shutdown has begun
)

// contextWork stands for a call that honours its context, as a database driver
// does: it takes d, or returns ctx's error as soon as ctx is done.
func contextWork(ctx context.Context, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute) // a driver's own deadline, derived as drivers do
	defer cancel()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// shutdownResult is what the load process reports.
type shutdownResult struct {
	Connected int      // connections that served their warm-up request
	Complete  int      // held requests answered 200 with the whole body and Connection: close
	NoClose   int      // answered completely but without Connection: close
	Lost      int      // held requests without a complete answer
	Errors    []string // the first few failures
}

func shutdownServer() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	payload := strings.Repeat("k", heldSize)
	r := router(map[string]kk.Handler{
		"/warm": func(c *kk.Ctx) error { return kk.Text(c, "warm") },
		"/held": func(c *kk.Ctx) error {
			// Held until the shutdown begins, then 400 ms of work that
			// honours the request's context, as a database call does: a
			// graceful shutdown leaves that context alone.
			ctx := c.Context()
			select {
			case <-kk.ShuttingDown(ctx):
			case <-ctx.Done():
				return fmt.Errorf("request context cancelled before the shutdown: %w", ctx.Err())
			}
			if err := contextWork(ctx, heldWork); err != nil {
				return fmt.Errorf("work across the shutdown: %w", err)
			}
			return kk.Text(c, payload)
		},
	})
	srv := &kk.Server{Listener: ln, Router: r, ShutdownTimeout: 2 * time.Minute,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- kk.Run(ctx, srv) }()

	cmd := child("shutdown", "-addrs", ln.Addr().String(), "-n", fmt.Sprint(*n))
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(out)
	var sent int
	if !lines.Scan() || func() bool { _, err := fmt.Sscanf(lines.Text(), "sent %d", &sent); return err != nil }() {
		return fmt.Errorf("load process: %q %v", lines.Text(), lines.Err())
	}
	deadline := time.Now().Add(2 * time.Minute)
	for srv.Stats().InFlight < sent {
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d requests reached their handler", srv.Stats().InFlight, sent)
		}
		time.Sleep(10 * time.Millisecond)
	}
	inflight, conns := srv.Stats().InFlight, srv.Stats().Connections
	begin := time.Now()
	cancel()
	runErr := <-done
	took := time.Since(begin)
	var res shutdownResult
	if !lines.Scan() || json.Unmarshal([]byte(strings.TrimPrefix(lines.Text(), "result ")), &res) != nil {
		return fmt.Errorf("load process result: %q %v", lines.Text(), lines.Err())
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("load process: %v", err)
	}
	fmt.Printf("| requests in flight | connections open | answered completely, Connection: close | without Connection: close | lost | shutdown took | Run returned |\n")
	fmt.Printf("|---:|---:|---:|---:|---:|---:|---|\n")
	fmt.Printf("| %d | %d | %d | %d | %d | %v | %v |\n", inflight, conns, res.Complete, res.NoClose, res.Lost,
		took.Round(time.Millisecond), runErr)
	for _, e := range res.Errors {
		fmt.Println("failure:", e)
	}
	if res.Lost > 0 || res.NoClose > 0 || runErr != nil {
		return fmt.Errorf("%d lost, %d without Connection: close, Run: %v", res.Lost, res.NoClose, runErr)
	}
	return nil
}

// shutdownClient opens n connections, sends a warm-up request on each,
// then one more that the server holds; reports "sent K", then the result.
func shutdownClient() error {
	var (
		res      shutdownResult
		mu       sync.Mutex
		dials    = make(chan struct{}, 256) // connections being opened at once
		wg       sync.WaitGroup
		sentWG   sync.WaitGroup
		sent     atomic.Int64
		failures = func(err string) {
			if len(res.Errors) < 5 {
				res.Errors = append(res.Errors, err)
			}
		}
	)
	for range *n {
		wg.Add(1)
		sentWG.Add(1)
		go func() {
			defer wg.Done()
			dials <- struct{}{}
			c, br, err := warmConn(*addrs)
			<-dials
			if err != nil {
				sentWG.Done()
				mu.Lock()
				failures("connect: " + err.Error())
				mu.Unlock()
				return
			}
			defer c.Close()
			_, err = io.WriteString(c, "GET /held HTTP/1.1\r\nHost: kk\r\n\r\n")
			if err == nil {
				sent.Add(1)
			}
			sentWG.Done()
			var resp *http.Response
			var body []byte
			if err == nil {
				c.SetReadDeadline(time.Now().Add(3 * time.Minute))
				resp, err = http.ReadResponse(br, nil)
			}
			if err == nil {
				body, err = io.ReadAll(resp.Body)
			}
			mu.Lock()
			defer mu.Unlock()
			res.Connected++
			switch {
			case err != nil || resp.StatusCode != 200 || len(body) != heldSize:
				res.Lost++
				failures(fmt.Sprintf("held request: %v %v %d bytes", err, resp, len(body)))
			case !resp.Close:
				res.NoClose++
			default:
				res.Complete++
			}
		}()
	}
	sentWG.Wait()
	fmt.Printf("sent %d\n", sent.Load())
	wg.Wait()
	b, _ := json.Marshal(res)
	fmt.Printf("result %s\n", b)
	return nil
}

// warmConn dials addr and serves one request on the connection, leaving
// it keep-alive.
func warmConn(addr string) (net.Conn, *bufio.Reader, error) {
	c, err := net.DialTimeout("tcp", addr, time.Minute)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReader(c)
	if _, err = io.WriteString(c, "GET /warm HTTP/1.1\r\nHost: kk\r\n\r\n"); err == nil {
		var resp *http.Response
		if resp, err = http.ReadResponse(br, nil); err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			if err == nil && (resp.StatusCode != 200 || resp.Close) {
				err = fmt.Errorf("warm-up: %s, close %v", resp.Status, resp.Close)
			}
		}
	}
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, br, nil
}
