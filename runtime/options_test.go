package kk_test

import (
	"testing"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

func options(r *kk.Router, path string, header map[string]string) *fasthttp.Response {
	req := kktest.NewRequest("OPTIONS", path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return kktest.Serve(r, req)
}

// TestAutoOptions: OPTIONS is answered with the path's methods, the list
// a 405 gives plus OPTIONS; a path no route serves is still a 404, and
// without AutoOptions an OPTIONS is a 405 (RFC 9110 section 9.3.7).
func TestAutoOptions(t *testing.T) {
	plain := kk.New(table(nil))
	auto := kk.New(table(nil))
	auto.Use(kk.AutoOptions())
	for _, tc := range []struct {
		router      *kk.Router
		path        string
		status      int
		allow       string
		description string
	}{
		{auto, "/items/1", 204, "GET, HEAD, OPTIONS, POST", "GET and POST routes"},
		{auto, "/hello", 204, "GET, HEAD, OPTIONS", "a GET route"},
		{auto, "/nowhere", 404, "", "no route"},
		{plain, "/items/1", 405, "GET, HEAD, POST", "without AutoOptions"},
	} {
		resp := options(tc.router, tc.path, nil)
		if resp.StatusCode() != tc.status || string(resp.Header.Peek("Allow")) != tc.allow {
			t.Errorf("%s: OPTIONS %s = %d Allow %q, want %d %q", tc.description, tc.path, resp.StatusCode(), resp.Header.Peek("Allow"), tc.status, tc.allow)
		}
		if tc.status == 204 && len(resp.Body()) != 0 {
			t.Errorf("%s: a 204 with a body %q", tc.description, resp.Body())
		}
	}
	// Other methods are untouched.
	if resp := kktest.Do(auto, "DELETE", "/items/1"); resp.StatusCode() != 405 || string(resp.Header.Peek("Allow")) != "GET, HEAD, POST" {
		t.Errorf("DELETE: %d Allow %q", resp.StatusCode(), resp.Header.Peek("Allow"))
	}
}

// TestCORSPreflightFromTable: a preflight is answered with the methods
// the path serves, exactly, whichever of CORS and AutoOptions comes
// first; a path no route serves gets no preflight answer.
func TestCORSPreflightFromTable(t *testing.T) {
	pre := map[string]string{"Origin": "https://app.test", "Access-Control-Request-Method": "POST"}
	for _, order := range [][]kk.Middleware{
		{kk.CORS(kk.CORSConfig{}), kk.AutoOptions()},
		{kk.AutoOptions(), kk.CORS(kk.CORSConfig{})},
	} {
		r := kk.New(table(nil))
		r.Use(order...)
		for _, tc := range []struct {
			path    string
			status  int
			methods string
		}{
			{"/items/1", 204, "GET, HEAD, POST"},
			{"/hello", 204, "GET, HEAD"},
			{"/nowhere", 404, ""},
		} {
			resp := options(r, tc.path, pre)
			if resp.StatusCode() != tc.status || string(resp.Header.Peek("Access-Control-Allow-Methods")) != tc.methods {
				t.Errorf("preflight %s: %d Access-Control-Allow-Methods %q, want %d %q", tc.path, resp.StatusCode(),
					resp.Header.Peek("Access-Control-Allow-Methods"), tc.status, tc.methods)
			}
		}
	}
	fixed := kk.New(table(nil))
	fixed.Use(kk.CORS(kk.CORSConfig{AllowMethods: []string{"GET", "PUT"}}))
	if resp := options(fixed, "/hello", pre); string(resp.Header.Peek("Access-Control-Allow-Methods")) != "GET, PUT" {
		t.Errorf("AllowMethods set: %q", resp.Header.Peek("Access-Control-Allow-Methods"))
	}
}
