package stdmw

import (
	"bytes"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

func serve(r *kk.Router, method, target string, header map[string]string, body string) *fasthttp.Response {
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	req := kktest.NewRequest(method, target, b)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return kktest.Serve(r, req)
}

func quiet(r *kk.Router) *kk.Router {
	r.SetLogger(slog.New(slog.DiscardHandler))
	return r
}

var hex16 = regexp.MustCompile(`^[0-9a-f]{16}$`)

func TestAccessLogAndRequestIDAsUse(t *testing.T) {
	r := quiet(NewRouter())
	accessLog.Reset()
	resp := serve(r, "GET", "/items?x=1", map[string]string{"X-Request-ID": "client-id-1"}, "")
	if got := string(resp.Body()); got != "id=client-id-1" || string(resp.Header.Peek("X-Request-ID")) != "client-id-1" {
		t.Errorf("client ID: %s, header %q", got, resp.Header.Peek("X-Request-ID"))
	}
	// No ID, or one that is not reasonable, gets 16 fresh hex characters.
	ids := map[string]bool{}
	for _, sent := range []string{"", "has space", strings.Repeat("x", 129), "caf\u00e9"} {
		resp = serve(r, "GET", "/items", map[string]string{"X-Request-ID": sent}, "")
		id := string(resp.Header.Peek("X-Request-ID"))
		if !hex16.MatchString(id) || string(resp.Body()) != "id="+id || ids[id] {
			t.Errorf("sent %q: got ID %q, body %s", sent, id, resp.Body())
		}
		ids[id] = true
	}
	resp = serve(r, "POST", "/items", map[string]string{"Content-Type": "application/json"}, `{"name":"a"}`)
	if resp.StatusCode() != 201 || len(resp.Header.Peek("X-Request-ID")) != 0 {
		t.Errorf("create: %d, request ID %q on a route without it", resp.StatusCode(), resp.Header.Peek("X-Request-ID"))
	}
	serve(r, "POST", "/items", map[string]string{"Content-Type": "application/json"}, `{}`)
	// Not logged: Slow does not use Logged.
	serve(r, "GET", "/slow/1", nil, "")

	// Errors are logged with the status they answer with and, for a 4xx,
	// the message (the problem body is written after the chain returns).
	// The request ID comes along when RequestID ran; random ones are
	// replaced by RANDOM here.
	want := []string{
		`{"level":"INFO","msg":"request","method":"GET","path":"/items","route":"/items","handler":"List","status":200,"client_ip":"127.0.0.1","bytes":14,"request_id":"client-id-1"}`,
		`{"level":"INFO","msg":"request","method":"GET","path":"/items","route":"/items","handler":"List","status":200,"client_ip":"127.0.0.1","bytes":19,"request_id":"RANDOM"}`,
		`{"level":"INFO","msg":"request","method":"GET","path":"/items","route":"/items","handler":"List","status":200,"client_ip":"127.0.0.1","bytes":19,"request_id":"RANDOM"}`,
		`{"level":"INFO","msg":"request","method":"GET","path":"/items","route":"/items","handler":"List","status":200,"client_ip":"127.0.0.1","bytes":19,"request_id":"RANDOM"}`,
		`{"level":"INFO","msg":"request","method":"GET","path":"/items","route":"/items","handler":"List","status":200,"client_ip":"127.0.0.1","bytes":19,"request_id":"RANDOM"}`,
		`{"level":"INFO","msg":"request","method":"POST","path":"/items","route":"/items","handler":"Create","status":201,"client_ip":"127.0.0.1","bytes":12}`,
		`{"level":"INFO","msg":"request","method":"POST","path":"/items","route":"/items","handler":"Create","status":409,"client_ip":"127.0.0.1","error":"empty name"}`,
	}
	logged := regexp.MustCompile(`"request_id":"[0-9a-f]{16}"`).ReplaceAllString(strings.TrimSpace(accessLog.String()), `"request_id":"RANDOM"`)
	if got := strings.Split(logged, "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("access log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestTimeoutAsUse(t *testing.T) {
	r := quiet(NewRouter())
	if resp := serve(r, "GET", "/slow/1", nil, ""); resp.StatusCode() != 200 || string(resp.Body()) != "slow done" {
		t.Errorf("in time: %d %s", resp.StatusCode(), resp.Body())
	}
	start := time.Now()
	resp := serve(r, "GET", "/slow/2000", nil, "")
	if resp.StatusCode() != 503 || time.Since(start) > time.Second {
		t.Errorf("too slow: %d %s after %v", resp.StatusCode(), resp.Body(), time.Since(start))
	}
	if got := string(resp.Body()); got != `{"type":"about:blank","title":"Service Unavailable","status":503}` {
		t.Errorf("503 body %s", got)
	}
	// A handler that ignores its context finishes; its body is discarded.
	accessLog.Reset()
	resp = serve(r, "GET", "/stubborn/60", nil, "")
	if resp.StatusCode() != 503 || strings.Contains(string(resp.Body()), "stubborn done") {
		t.Errorf("stubborn: %d %s", resp.StatusCode(), resp.Body())
	}
	if !strings.Contains(accessLog.String(), `"handler":"Stubborn","status":503`) {
		t.Errorf("access log outside the timeout: %s", accessLog.String())
	}
}

func TestCORSAsUse(t *testing.T) {
	r := quiet(NewRouter())
	origin := map[string]string{"Origin": "https://app.test"}
	resp := serve(r, "GET", "/cors", origin, "")
	if string(resp.Body()) != "cors" || string(resp.Header.Peek("Access-Control-Allow-Origin")) != "https://app.test" ||
		string(resp.Header.Peek("Access-Control-Allow-Credentials")) != "true" || string(resp.Header.Peek("Vary")) != "Origin" ||
		string(resp.Header.Peek("Access-Control-Expose-Headers")) != "X-Total" {
		t.Errorf("simple request:\n%s", resp.Header.String())
	}
	resp = serve(r, "GET", "/cors", map[string]string{"Origin": "https://evil.test"}, "")
	if string(resp.Body()) != "cors" || len(resp.Header.Peek("Access-Control-Allow-Origin")) != 0 {
		t.Errorf("other origin:\n%s", resp.Header.String())
	}
	// Route middleware never sees a preflight: there is no OPTIONS route.
	resp = serve(r, "OPTIONS", "/cors", map[string]string{"Origin": "https://app.test", "Access-Control-Request-Method": "PUT"}, "")
	if resp.StatusCode() != 405 || string(resp.Header.Peek("Allow")) != "GET, HEAD, PUT" || len(resp.Header.Peek("Access-Control-Allow-Origin")) != 0 {
		t.Errorf("preflight to route CORS: %d\n%s", resp.StatusCode(), resp.Header.String())
	}
}

func TestRouterWide(t *testing.T) {
	var logBuf bytes.Buffer
	r := quiet(NewRouter())
	r.Use(
		kk.CORS(kk.CORSConfig{MaxAge: 10 * time.Minute}),
		kk.AccessLog(newLogger(&logBuf)),
		kk.RequestID(),
		kk.Timeout(30*time.Millisecond),
	)
	// A preflight for a path with no OPTIONS route is answered by CORS.
	resp := serve(r, "OPTIONS", "/items", map[string]string{
		"Origin": "https://any.test", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Content-Type, X-Token",
	}, "")
	for k, want := range map[string]string{
		"Access-Control-Allow-Origin":  "*",
		"Access-Control-Allow-Methods": "GET, HEAD, POST", // what /items serves
		"Access-Control-Allow-Headers": "Content-Type, X-Token",
		"Access-Control-Max-Age":       "600",
		"Vary":                         "",
		"Allow":                        "",
	} {
		if got := string(resp.Header.Peek(k)); got != want {
			t.Errorf("preflight header %s = %q, want %q", k, got, want)
		}
	}
	if resp.StatusCode() != 204 || len(resp.Body()) != 0 {
		t.Errorf("preflight: %d %q", resp.StatusCode(), resp.Body())
	}
	// OPTIONS without Access-Control-Request-Method is no preflight.
	resp = serve(r, "OPTIONS", "/items", map[string]string{"Origin": "https://any.test"}, "")
	if resp.StatusCode() != 405 || string(resp.Header.Peek("Allow")) != "GET, HEAD, POST" || string(resp.Header.Peek("Access-Control-Allow-Origin")) != "*" {
		t.Errorf("plain OPTIONS: %d\n%s", resp.StatusCode(), resp.Header.String())
	}
	// Router-wide RequestID reaches 404s.
	resp = serve(r, "GET", "/missing", nil, "")
	if resp.StatusCode() != 404 || !hex16.MatchString(string(resp.Header.Peek("X-Request-ID"))) {
		t.Errorf("404: %d, id %q", resp.StatusCode(), resp.Header.Peek("X-Request-ID"))
	}
	// Under a route's own ReqID, the handler and the response agree on
	// one ID.
	resp = serve(r, "GET", "/items", nil, "")
	if id := string(resp.Header.Peek("X-Request-ID")); !hex16.MatchString(id) || string(resp.Body()) != "id="+id {
		t.Errorf("nested RequestID: header %q, body %s", id, resp.Body())
	}
	// The router-wide timeout covers routes without one.
	resp = serve(r, "GET", "/slow/2000", nil, "")
	if resp.StatusCode() != 503 {
		t.Errorf("router timeout: %d", resp.StatusCode())
	}
	// The access log, inside CORS, saw the 405, the 404, the 200 and the
	// 503, but not the preflight CORS answered itself.
	var statuses []string
	for _, line := range strings.Split(strings.TrimSpace(logBuf.String()), "\n") {
		i := strings.Index(line, `"status":`)
		statuses = append(statuses, line[i+len(`"status":`):i+len(`"status":`)+3])
	}
	if got := strings.Join(statuses, " "); got != "405 404 200 503" {
		t.Errorf("logged statuses %q, want %q\n%s", got, "405 404 200 503", logBuf.String())
	}
}
