package typed

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/kktest"
)

type call struct {
	method, target string
	body           []byte
	header         map[string]string
	status         int
	want           string // exact body, or "~substr" for a substring
}

func run(t *testing.T, calls []call) {
	t.Helper()
	r := NewRouter()
	r.SetLogger(slog.New(slog.DiscardHandler))
	for _, tc := range calls {
		req := kktest.NewRequest(tc.method, tc.target, tc.body)
		for k, v := range tc.header {
			req.Header.Set(k, v)
		}
		resp := kktest.Serve(r, req)
		body := string(resp.Body())
		ok := resp.StatusCode() == tc.status
		if sub, isSub := strings.CutPrefix(tc.want, "~"); isSub {
			ok = ok && strings.Contains(body, sub)
		} else {
			ok = ok && body == tc.want
		}
		if !ok {
			t.Errorf("%s %s = %d %s\nwant %d %s", tc.method, tc.target, resp.StatusCode(), body, tc.status, tc.want)
		}
	}
}

func TestQuery(t *testing.T) {
	run(t, []call{
		{method: "GET", target: "/api/items", status: 200, want: "0|<nil>||q"},
		{method: "GET", target: "/api/items?limit=5&cursor=abc&ids=1&ids=2000000000&verbose=true", status: 200, want: "5|abc| 1ns 2s|v"},
		{method: "GET", target: "/api/items?limit=&cursor=", status: 200, want: "0|<nil>||q"},
		{method: "GET", target: "/api/items?limit=x", status: 400, want: `~query parameter \"limit\": \"x\" is not a valid int`},
		{method: "GET", target: "/api/items?ids=1&ids=nope", status: 400, want: `~query parameter \"ids\": \"nope\"`},
	})
}

func TestInputStruct(t *testing.T) {
	run(t, []call{
		{method: "GET", target: "/api/orgs/acme/search?q=go&tag=a&tag=b&size=9", header: map[string]string{"Cookie": "session=s1"}, status: 200,
			want: `{"Org":"acme","Q":"go","Page":1,"Size":9,"Tags":["a","b"],"Lang":"en","Session":"s1"}`},
		{method: "GET", target: "/api/orgs/acme/search?q=go&page=3", header: map[string]string{"Accept-Language": "fr"}, status: 200,
			want: `{"Org":"acme","Q":"go","Page":3,"Size":null,"Tags":null,"Lang":"fr","Session":""}`},
		{method: "GET", target: "/api/orgs/acme/search", status: 422, want: `~"errors":[{"field":"q","in":"query","message":"required"}]`},
		{method: "GET", target: "/api/orgs/acme/search?q=go&size=256", status: 400, want: `~\"256\" is out of range for uint8`},
		{method: "GET", target: "/api/orgs/acme/search?q=go&page=101", status: 422, want: `~"errors":[{"field":"page","in":"query","message":"must be at most 100"}]`},
	})
}

func TestJSONBody(t *testing.T) {
	js := map[string]string{"Content-Type": "application/json"}
	run(t, []call{
		{method: "POST", target: "/api/orgs/acme/users", body: []byte(`{"name":"ann","age":7}`), header: js, status: 201, want: `{"id":7,"name":"ann","age":7}`},
		{method: "POST", target: "/api/orgs/acme/users", body: []byte(`{"name":"ann"`), header: js, status: 400, want: "~malformed JSON body"},
		{method: "POST", target: "/api/orgs/acme/users", body: []byte(`{"name":"ann","age":"x"}`), header: js, status: 400, want: "~JSON body field age at offset"},
		{method: "POST", target: "/api/orgs/acme/users", body: []byte(`{"age":1}`), header: js, status: 422, want: "~name is required"},
		{method: "POST", target: "/api/orgs/acme/users", body: []byte(`{"name":"ann"}`), header: map[string]string{"Content-Type": "text/plain"}, status: 415, want: `~this route accepts application/json`},
		{method: "POST", target: "/api/orgs/acme/users", body: []byte(`{"name":"ann"}`), header: map[string]string{"Content-Type": "application/vnd.kk+json"}, status: 201, want: `{"id":7,"name":"ann","age":0}`},
	})
}

func TestRawBodies(t *testing.T) {
	run(t, []call{
		{method: "PUT", target: "/api/blobs/b1", body: []byte("hello"), status: 200, want: "b1:hello"},
		{method: "POST", target: "/api/upper", body: []byte("shout"), status: 200, want: "SHOUT"},
	})
}

func TestForm(t *testing.T) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("title", "report")
	fw, _ := w.CreateFormFile("file", "r.txt")
	fw.Write([]byte("data"))
	w.Close()
	run(t, []call{
		{method: "POST", target: "/api/uploads", body: []byte("title=hi&count=9"), header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, status: 202, want: "hi:-"},
		{method: "POST", target: "/api/uploads", body: buf.Bytes(), header: map[string]string{"Content-Type": w.FormDataContentType()}, status: 202, want: "report:r.txt"},
		{method: "POST", target: "/api/uploads", body: []byte("count=1"), header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, status: 422, want: `~{"field":"title","in":"form","message":"required"}`},
		{method: "POST", target: "/api/uploads", body: []byte(`{}`), header: map[string]string{"Content-Type": "application/json"}, status: 415, want: "~accepts application/x-www-form-urlencoded, multipart/form-data"},
	})
}

func TestResponseHeadersMiddlewareRedirectTimeout(t *testing.T) {
	r := NewRouter()
	r.SetLogger(slog.New(slog.DiscardHandler))
	req := kktest.NewRequest("POST", "/api/uploads", []byte("title=t"))
	req.Header.SetContentType("application/x-www-form-urlencoded")
	resp := kktest.Serve(r, req)
	if got := string(resp.Header.Peek("X-Count")); got != "3" {
		t.Errorf("default count header %q, want 3", got)
	}
	resp = kktest.Do(r, "GET", "/api/orgs/o/search?q=x")
	if got := resp.Header.PeekAll("X-Chain"); len(got) != 2 || string(got[0]) != "group" || string(got[1]) != "audit:Find" {
		t.Errorf("X-Chain %q, want group then audit:Find", got)
	}
	resp = kktest.Do(r, "GET", "/api/old")
	if resp.StatusCode() != 301 || !strings.HasSuffix(string(resp.Header.Peek("Location")), "/api/items") {
		t.Errorf("redirect: %d %s", resp.StatusCode(), resp.Header.Peek("Location"))
	}
	if resp := kktest.Do(r, "GET", "/api/slow/0"); resp.StatusCode() != 200 || string(resp.Body()) != "done" {
		t.Errorf("fast enough: %d %s", resp.StatusCode(), resp.Body())
	}
	if resp := kktest.Do(r, "GET", "/api/slow/60000"); resp.StatusCode() != fasthttp.StatusServiceUnavailable {
		t.Errorf("too slow: %d %s", resp.StatusCode(), resp.Body())
	}
	req = kktest.NewRequest("DELETE", "/api/things?ids=1&ids=2", nil)
	if resp := kktest.Serve(r, req); string(resp.Body()) != "2" {
		t.Errorf("purge: %s", resp.Body())
	}
	var created User
	req = kktest.NewRequest("POST", "/api/orgs/o/users", []byte(`{"name":"x"}`))
	req.Header.SetContentType("application/json")
	resp = kktest.Serve(r, req)
	if err := json.Unmarshal(resp.Body(), &created); err != nil || string(resp.Header.Peek("Location")) != "/api/orgs/o/users/7" {
		t.Errorf("create: %v %s", err, resp.Header.Peek("Location"))
	}
}
