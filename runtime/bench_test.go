package kk_test

import (
	"testing"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
)

// BenchmarkServeParam measures the runtime's share of a request: pooling
// the Ctx, the matcher call, the chain, a numeric decode and a short text
// response, on a hand-written table.
func BenchmarkServeParam(b *testing.B) {
	r := kk.New(table(map[string]kk.Handler{
		"GetItem": func(c *kk.Ctx) error {
			id, err := kk.ParseInt(kk.InPath, "id", kk.ParamAt(c, 0), 64)
			if err != nil {
				return err
			}
			if id != 42 {
				b.Fatal(id)
			}
			return kk.Text(c, "ok")
		},
	}))
	h := r.Handler()
	var rc fasthttp.RequestCtx
	rc.Request.Header.SetMethod("GET")
	rc.Request.SetRequestURI("/items/42")
	b.ReportAllocs()
	for b.Loop() {
		h(&rc)
	}
	if rc.Response.StatusCode() != 200 || string(rc.Response.Body()) != "ok" {
		b.Fatalf("%d %s", rc.Response.StatusCode(), rc.Response.Body())
	}
}
