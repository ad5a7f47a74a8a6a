// Command chi serves the end-to-end workload with net/http and
// github.com/go-chi/chi/v5, written as chi's docs show.
package main

import (
	"encoding/json"
	"flag"
	"io"
	"log"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/kommandkit/kk/bench/e2e/nethttpserve"
	"github.com/kommandkit/kk/bench/e2e/workload"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	r := chi.NewRouter()
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, workload.Hello)
	})
	r.Get("/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
		if err != nil {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(workload.NewUser(id))
	})
	r.Post("/echo", func(w http.ResponseWriter, r *http.Request) {
		nethttpserve.LimitBody(w, r)
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	if err := nethttpserve.ListenAndServe(*addr, r); err != nil {
		log.Fatal(err)
	}
}
