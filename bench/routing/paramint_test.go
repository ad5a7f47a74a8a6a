package routing

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/julienschmidt/httprouter"
	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/bench/kkroutes/paramint"
	kk "github.com/kommandkit/kk/runtime"
)

// BenchmarkParamInt is the target "a one-param route's dispatch plus int
// decode": GET /user/:id with /user/42. DispatchDecode is kk's generated
// matcher and kk.ParseInt, as the generated wrapper calls it; Handler is
// the whole request through the router's fasthttp handler (BenchFast),
// the handler receiving an int64. httprouter's Lookup with strconv.Atoi on
// the value is there for scale.
func BenchmarkParamInt(b *testing.B) {
	b.Run("DispatchDecode/router=kk", benchDecodeKK)
	b.Run("DispatchDecode/router=httprouter", benchDecodeHTTPRouter)
	b.Run("Handler/router=kk", func(b *testing.B) {
		h := paramint.NewRouter().Handler()
		ctx := PreparedCtx("GET", "/user/42")
		h(ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusNoContent || paramint.Last != 42 {
			b.Fatalf("status %d, id %d", ctx.Response.StatusCode(), paramint.Last)
		}
		BenchFast(b, h, []Request{{"GET", "/user/42"}})
	})
}

// benchDecodeKK is kk's generated matcher and the decode the generated
// wrapper calls. (icount.sh counts inside functions named benchDecode*.)
func benchDecodeKK(b *testing.B) {
	path := []byte("/user/42")
	var ps kk.Params
	var sum int64
	b.ReportAllocs()
	for b.Loop() {
		if paramint.Match("GET", path, &ps) < 0 {
			b.Fatal("no match")
		}
		id, err := kk.ParseInt(kk.InPath, "id", ps[0], 64)
		if err != nil {
			b.Fatal(err)
		}
		sum += id
	}
	if sum != 42*int64(b.N) {
		b.Fatal(sum)
	}
}

func benchDecodeHTTPRouter(b *testing.B) {
	r := httprouter.New()
	r.GET("/user/:id", func(http.ResponseWriter, *http.Request, httprouter.Params) {})
	var sum int
	b.ReportAllocs()
	for b.Loop() {
		_, ps, _ := r.Lookup("GET", "/user/42")
		id, err := strconv.Atoi(ps.ByName("id"))
		if err != nil {
			b.Fatal(err)
		}
		sum += id
	}
	if sum != 42*b.N {
		b.Fatal(sum)
	}
}
