// Command multiserver measures kk.Run's servers on loopback, bounded in
// count and time:
//
//	go run ./multiserver -mode shutdown -n 10000
//	go run ./multiserver -mode isolation -phase 4s -reps 3
//
// shutdown holds n requests in flight, each on a keep-alive connection
// that has served one request already, then shuts the server down; each
// handler, told by kk.ShuttingDown, then does 400 ms of work with its
// request's context. It counts the answers: every one must arrive
// complete, 200, with Connection: close. isolation runs two servers in one process, a "busy" one whose
// handler burns about 1 ms of CPU and a "quiet" one, saturates the busy
// one and measures the quiet one's latency at a fixed rate, with and
// without a Concurrency cap on the busy one.
//
// The server runs in this process and the load in a child process (this
// program again, with -client), so that each has its own file descriptors
// (10,000 connections need 20,000 across both ends) and its own scheduler.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

var (
	mode   = flag.String("mode", "shutdown", "what to measure: shutdown or isolation")
	n      = flag.Int("n", 10000, "shutdown: requests in flight")
	phase  = flag.Duration("phase", 5e9, "isolation: length of each phase")
	rate   = flag.Int("rate", 500, "isolation: requests per second to the quiet server")
	busyN  = flag.Int("busy-clients", 32, "isolation: closed-loop clients saturating the busy server")
	reps   = flag.Int("reps", 1, "isolation: rounds of the three phases, interleaved")
	client = flag.String("client", "", "internal: run as the load process of this mode")
	addrs  = flag.String("addrs", "", "internal: the servers' addresses, comma-separated")
)

func main() {
	flag.Parse()
	raiseFileLimit()
	var err error
	switch {
	case *client == "shutdown":
		err = shutdownClient()
	case *client == "isolation":
		err = isolationClient()
	case *mode == "shutdown":
		err = shutdownServer()
	case *mode == "isolation":
		err = isolationServer()
	default:
		err = fmt.Errorf("unknown -mode %q", *mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "multiserver:", err)
		os.Exit(1)
	}
}

// child starts this program as the load process for mode.
func child(mode string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"-client", mode}, args...)...)
	cmd.Stderr = os.Stderr
	return cmd
}

// raiseFileLimit lifts the soft limit on open files to the hard one.
func raiseFileLimit() {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur < lim.Max {
		lim.Cur = lim.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
}
