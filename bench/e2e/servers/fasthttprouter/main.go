// Command fasthttprouter serves the end-to-end workload with
// github.com/fasthttp/router, written as its README shows: params from
// ctx.UserValue, JSON with encoding/json straight into the RequestCtx.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"strconv"

	"github.com/fasthttp/router"
	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/bench/e2e/fastserve"
	"github.com/kommandkit/kk/bench/e2e/workload"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	r := router.New()
	r.GET("/", func(ctx *fasthttp.RequestCtx) {
		ctx.SetContentType("text/plain; charset=utf-8")
		ctx.SetBodyString(workload.Hello)
	})
	r.GET("/users/{id}", func(ctx *fasthttp.RequestCtx) {
		id, err := strconv.ParseInt(ctx.UserValue("id").(string), 10, 64)
		if err != nil {
			ctx.Error("bad id", fasthttp.StatusBadRequest)
			return
		}
		ctx.SetContentType("application/json")
		if err := json.NewEncoder(ctx).Encode(workload.NewUser(id)); err != nil {
			ctx.Error(err.Error(), fasthttp.StatusInternalServerError)
		}
	})
	r.POST("/echo", func(ctx *fasthttp.RequestCtx) {
		ctx.SetContentType("application/json")
		ctx.SetBody(ctx.PostBody())
	})
	if err := fastserve.ListenAndServe(*addr, r.Handler); err != nil {
		log.Fatal(err)
	}
}
