// Command fasthttp serves the end-to-end workload with a hand-written
// fasthttp handler: a switch on the path, fasthttp.ParseUint for the id
// (ids are non-negative here), and a pooled encoding/json encoder, the
// same encoding kk uses. It is the practical limit of a fasthttp server
// doing this work.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"log"
	"sync"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/bench/e2e/fastserve"
	"github.com/kommandkit/kk/bench/e2e/workload"
)

type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var encoders = sync.Pool{New: func() any {
	e := new(encoder)
	e.enc = json.NewEncoder(&e.buf)
	return e
}}

var users = []byte("/users/")

func handle(ctx *fasthttp.RequestCtx) {
	path := ctx.Path()
	switch {
	case string(path) == "/":
		if !ctx.IsGet() {
			ctx.Error("method not allowed", fasthttp.StatusMethodNotAllowed)
			return
		}
		ctx.SetContentType("text/plain; charset=utf-8")
		ctx.SetBodyString(workload.Hello)
	case bytes.HasPrefix(path, users) && len(path) > len(users) && bytes.IndexByte(path[len(users):], '/') < 0:
		if !ctx.IsGet() {
			ctx.Error("method not allowed", fasthttp.StatusMethodNotAllowed)
			return
		}
		id, err := fasthttp.ParseUint(path[len(users):])
		if err != nil {
			ctx.Error("bad id", fasthttp.StatusBadRequest)
			return
		}
		e := encoders.Get().(*encoder)
		e.buf.Reset()
		if err := e.enc.Encode(workload.NewUser(int64(id))); err != nil {
			encoders.Put(e)
			ctx.Error(err.Error(), fasthttp.StatusInternalServerError)
			return
		}
		ctx.SetContentType("application/json")
		ctx.SetBody(e.buf.Bytes()[:e.buf.Len()-1])
		encoders.Put(e)
	case string(path) == "/echo":
		if !ctx.IsPost() {
			ctx.Error("method not allowed", fasthttp.StatusMethodNotAllowed)
			return
		}
		ctx.SetContentType("application/json")
		ctx.SetBody(ctx.PostBody())
	default:
		ctx.Error("not found", fasthttp.StatusNotFound)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	if err := fastserve.ListenAndServe(*addr, handle); err != nil {
		log.Fatal(err)
	}
}
