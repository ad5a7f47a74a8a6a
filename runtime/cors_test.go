package kk_test

import (
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// corsDo sends method /items/1 with headers through a router that has
// cfg's CORS router-wide. The table has no OPTIONS route.
func corsDo(cfg kk.CORSConfig, method string, headers ...string) *fasthttp.Response {
	r := kk.New(table(nil))
	r.Use(kk.CORS(cfg))
	req := kktest.NewRequest(method, "/items/1", nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return kktest.Serve(r, req)
}

func corsHeader(resp *fasthttp.Response, key string) string { return string(resp.Header.Peek(key)) }

// TestCORSSimple follows the Fetch standard's CORS check for a request
// that is not a preflight: the handler answers, and the answer carries
// Access-Control-Allow-Origin for an allowed origin only.
func TestCORSSimple(t *testing.T) {
	// Any origin, no credentials: a literal "*", which needs no Vary.
	resp := corsDo(kk.CORSConfig{ExposeHeaders: []string{"X-Total", "X-Page"}}, "GET", "Origin", "https://a.test")
	if resp.StatusCode() != 204 || corsHeader(resp, "Access-Control-Allow-Origin") != "*" || corsHeader(resp, "Vary") != "" ||
		corsHeader(resp, "Access-Control-Expose-Headers") != "X-Total, X-Page" || corsHeader(resp, "Access-Control-Allow-Credentials") != "" {
		t.Errorf("any origin: %d\n%s", resp.StatusCode(), resp.Header.String())
	}
	// With credentials "*" may not be used (Fetch): the origin is echoed,
	// so caches must key on it.
	resp = corsDo(kk.CORSConfig{AllowCredentials: true}, "GET", "Origin", "https://a.test")
	if corsHeader(resp, "Access-Control-Allow-Origin") != "https://a.test" || corsHeader(resp, "Vary") != "Origin" ||
		corsHeader(resp, "Access-Control-Allow-Credentials") != "true" {
		t.Errorf("any origin with credentials:\n%s", resp.Header.String())
	}
	listed := kk.CORSConfig{AllowOrigins: []string{"https://a.test"}}
	resp = corsDo(listed, "GET", "Origin", "https://a.test")
	if corsHeader(resp, "Access-Control-Allow-Origin") != "https://a.test" || corsHeader(resp, "Vary") != "Origin" {
		t.Errorf("listed origin:\n%s", resp.Header.String())
	}
	for _, origin := range []string{"https://b.test", "https://a.test.evil", ""} {
		resp = corsDo(listed, "GET", "Origin", origin)
		if resp.StatusCode() != 204 || corsHeader(resp, "Access-Control-Allow-Origin") != "" {
			t.Errorf("origin %q, not listed: %d\n%s", origin, resp.StatusCode(), resp.Header.String())
		}
	}
}

// TestCORSPreflight: an OPTIONS with Origin and
// Access-Control-Request-Method is answered by CORS itself (204) even on
// a path with no OPTIONS route, allowing the methods the path's routes
// serve (GET, HEAD and POST on /items/1: the DELETE asked for is not among
// them, so a browser will not send it); one without the request-method
// header is not a preflight and reaches the router (405 here).
func TestCORSPreflight(t *testing.T) {
	resp := corsDo(kk.CORSConfig{MaxAge: 10 * time.Minute}, "OPTIONS",
		"Origin", "https://a.test", "Access-Control-Request-Method", "DELETE", "Access-Control-Request-Headers", "content-type, x-token")
	if resp.StatusCode() != 204 || corsHeader(resp, "Access-Control-Allow-Origin") != "*" ||
		corsHeader(resp, "Access-Control-Allow-Methods") != "GET, HEAD, POST" ||
		corsHeader(resp, "Access-Control-Allow-Headers") != "content-type, x-token" || corsHeader(resp, "Access-Control-Max-Age") != "600" {
		t.Errorf("preflight: %d\n%s", resp.StatusCode(), resp.Header.String())
	}
	resp = corsDo(kk.CORSConfig{AllowMethods: []string{"GET", "PUT"}, AllowHeaders: []string{"X-Token"}}, "OPTIONS",
		"Origin", "https://a.test", "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "x-other")
	if resp.StatusCode() != 204 || corsHeader(resp, "Access-Control-Allow-Methods") != "GET, PUT" ||
		corsHeader(resp, "Access-Control-Allow-Headers") != "X-Token" || corsHeader(resp, "Access-Control-Max-Age") != "" {
		t.Errorf("preflight with configured lists: %d\n%s", resp.StatusCode(), resp.Header.String())
	}
	resp = corsDo(kk.CORSConfig{}, "OPTIONS", "Origin", "https://a.test")
	if resp.StatusCode() != 405 || corsHeader(resp, "Access-Control-Allow-Methods") != "" {
		t.Errorf("OPTIONS without Access-Control-Request-Method: %d\n%s", resp.StatusCode(), resp.Header.String())
	}
	resp = corsDo(kk.CORSConfig{AllowOrigins: []string{"https://a.test"}}, "OPTIONS",
		"Origin", "https://b.test", "Access-Control-Request-Method", "DELETE")
	if resp.StatusCode() != 405 || corsHeader(resp, "Access-Control-Allow-Origin") != "" || corsHeader(resp, "Access-Control-Allow-Methods") != "" {
		t.Errorf("preflight from an origin not listed: %d\n%s", resp.StatusCode(), resp.Header.String())
	}
}

// TestCORSVaryOrigin: when the Access-Control-Allow-Origin a response gets
// depends on Origin (a list of origins, or credentials), every response
// says Vary: Origin, the ones for origins not allowed and for requests
// without Origin too (Fetch §3.2.5, CORS and HTTP caches): otherwise a
// cache could hand one origin's answer to another. Vary names it once,
// however many times it is added.
func TestCORSVaryOrigin(t *testing.T) {
	listed := kk.CORSConfig{AllowOrigins: []string{"https://a.test"}}
	for _, cfg := range []kk.CORSConfig{listed, {AllowCredentials: true}} {
		for _, origin := range []string{"https://a.test", "https://b.test", ""} {
			resp := corsDo(cfg, "GET", "Origin", origin)
			if v := resp.Header.PeekAll("Vary"); len(v) != 1 || string(v[0]) != "Origin" {
				t.Errorf("credentials %v, origin %q: Vary %q, want [Origin]", cfg.AllowCredentials, origin, v)
			}
		}
	}
	r := kk.New(table(nil))
	r.Use(kk.CORS(listed), kk.CORS(listed))
	req := kktest.NewRequest("GET", "/items/1", nil)
	req.Header.Set("Origin", "https://a.test")
	resp := kktest.Serve(r, req)
	if v := resp.Header.PeekAll("Vary"); len(v) != 1 || string(v[0]) != "Origin" {
		t.Errorf("CORS twice: Vary %q, want [Origin]", v)
	}
}
