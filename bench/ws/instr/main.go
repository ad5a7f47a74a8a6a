// Command instr counts the instructions one WebSocket echo round trip
// costs a benchmark server (bench/ws/server), with valgrind, so the
// machine's load hardly moves the figure: it runs the server under
// cachegrind twice, drives -small and then -large round trips of a
// 32-byte text message through one connection (gorilla/websocket), and
// prints (I(large) - I(small)) / (large - small) for each -impls server.
//
//	cd bench && CGO_ENABLED=0 go build -o /tmp/ws_server ./ws/server
//	go run ./ws/instr -server /tmp/ws_server -impls kk,fasthttp
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	gws "github.com/gorilla/websocket"
)

func main() {
	server := flag.String("server", "", "the bench/ws/server binary, built with CGO_ENABLED=0")
	impls := flag.String("impls", "kk,fasthttp", "servers to measure")
	small := flag.Int("small", 2000, "round trips of the first run")
	large := flag.Int("large", 12000, "round trips of the second run")
	flag.Parse()
	if *server == "" {
		log.Fatal("-server is required")
	}
	for _, impl := range strings.Split(*impls, ",") {
		a, b := run(*server, impl, *small), run(*server, impl, *large)
		fmt.Printf("%s: %d instructions per round trip (%d, %d)\n", impl, (b-a)/int64(*large-*small), a, b)
	}
}

var irefs = regexp.MustCompile(`I\s+refs:\s+([\d,]+)`)

// run serves n round trips from the server under cachegrind and returns
// the instructions it executed in its whole life.
func run(server, impl string, n int) int64 {
	cmd := exec.Command("valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", server, "-impl", impl)
	// No signal-driven preemption and one P: valgrind cannot follow Go's
	// signals across threads.
	cmd.Env = append(os.Environ(), "GODEBUG=asyncpreemptoff=1", "GOMAXPROCS=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		log.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var addr string
	for sc.Scan() {
		if a, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
			addr = a
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	c, _, err := gws.DefaultDialer.Dial("ws://"+addr+"/echo", nil)
	if err != nil {
		log.Fatal(err)
	}
	msg := bytes.Repeat([]byte("x"), 32)
	for range n {
		if err := c.WriteMessage(gws.TextMessage, msg); err != nil {
			log.Fatal(err)
		}
		if _, got, err := c.ReadMessage(); err != nil || len(got) != len(msg) {
			log.Fatal("echo: ", err)
		}
	}
	_ = c.WriteMessage(gws.CloseMessage, gws.FormatCloseMessage(1000, ""))
	_, _, _ = c.ReadMessage()
	c.Close()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
	m := irefs.FindStringSubmatch(stderr.String())
	if m == nil {
		log.Fatalf("no instruction count from valgrind:\n%s", stderr.String())
	}
	v, _ := strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
	return v
}
