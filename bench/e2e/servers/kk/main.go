// Command kk serves the end-to-end workload with kk, run as users run it:
// the generated router under kk.ListenAndServe with kk's default limits.
package main

import (
	"flag"
	"log"

	"github.com/kommandkit/kk/bench/e2e/servers/kk/api"
	kk "github.com/kommandkit/kk/runtime"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	if err := kk.ListenAndServe(*addr, api.NewRouter()); err != nil {
		log.Fatal(err)
	}
}
