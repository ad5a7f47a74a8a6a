// Command server is one WebSocket server of the benchmark, chosen by
// -impl: kk (generated routes, kkws), fasthttp (fasthttp/websocket by
// hand) or gorilla (gorilla/websocket on net/http). It serves /echo and
// /stats (the kk one also /hub, /stalled and /broadcast), prints
// "listening ADDR" once it listens, and stops on SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	fws "github.com/fasthttp/websocket"
	gws "github.com/gorilla/websocket"
	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/bench/ws/kkws"
	kk "github.com/kommandkit/kk/runtime"
)

func main() {
	impl := flag.String("impl", "kk", "kk, fasthttp or gorilla")
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	writeTimeout := flag.Duration("write-timeout", 2*time.Second, "kk's WebSocketConfig.WriteTimeout")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening %s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	switch *impl {
	case "kk":
		r := kkws.NewRouter()
		r.SetWebSocketConfig(kk.WebSocketConfig{WriteTimeout: *writeTimeout})
		err = kk.Serve(ctx, ln, r)
	case "fasthttp":
		err = serveFasthttp(ctx, ln)
	case "gorilla":
		err = serveGorilla(ctx, ln)
	default:
		err = fmt.Errorf("unknown -impl %q", *impl)
	}
	if err != nil {
		log.Fatal(err)
	}
}

func writeStats(w func([]byte)) {
	b, _ := json.Marshal(kkws.ReadStats())
	w(b)
}

// serveFasthttp is the hand-written fasthttp/websocket echo server: what
// kk's WebSocket routes are measured against.
func serveFasthttp(ctx context.Context, ln net.Listener) error {
	up := fws.FastHTTPUpgrader{}
	s := &fasthttp.Server{Handler: func(c *fasthttp.RequestCtx) {
		switch string(c.Path()) {
		case "/echo":
			_ = up.Upgrade(c, func(conn *fws.Conn) {
				for {
					kind, data, err := conn.ReadMessage()
					if err != nil {
						return
					}
					if err := conn.WriteMessage(kind, data); err != nil {
						return
					}
				}
			})
		case "/stats":
			writeStats(func(b []byte) { c.SetBody(b) })
		default:
			c.SetStatusCode(404)
		}
	}}
	go func() { <-ctx.Done(); _ = s.Shutdown() }()
	return s.Serve(ln)
}

// serveGorilla is gorilla/websocket on net/http, for comparison.
func serveGorilla(ctx context.Context, ln net.Listener) error {
	up := gws.Upgrader{}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			kind, data, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if err := conn.WriteMessage(kind, data); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		writeStats(func(b []byte) { _, _ = w.Write(b) })
	})
	s := &http.Server{Handler: mux}
	go func() { <-ctx.Done(); _ = s.Close() }()
	if err := s.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
