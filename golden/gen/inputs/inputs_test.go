package inputs

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/kktest"
)

type call struct {
	method, target string
	header         map[string]string
	body           []byte
	status         int
	want           string // exact body, or "~substr"
}

func (tc call) run(t *testing.T) *fasthttp.Response {
	t.Helper()
	req := kktest.NewRequest(tc.method, tc.target, tc.body)
	for k, v := range tc.header {
		req.Header.Add(k, v)
	}
	resp := kktest.Serve(NewRouter(), req)
	got := string(resp.Body())
	ok := resp.StatusCode() == tc.status
	if sub, isSub := strings.CutPrefix(tc.want, "~"); isSub {
		ok = ok && strings.Contains(got, sub)
	} else {
		ok = ok && got == tc.want
	}
	if !ok {
		t.Errorf("%s %s = %d %s\nwant %d %s", tc.method, tc.target, resp.StatusCode(), got, tc.status, tc.want)
	}
	return resp
}

func TestDefaults(t *testing.T) {
	for _, tc := range []call{
		// Every default applies when its key is absent or empty.
		{method: "GET", target: "/defaults", status: 200,
			want: `{"S":"hello world","B":true,"I":-7,"I8":-128,"U16":65535,"U64":18446744073709551615,"F32":0.1,"F64":0.001,"L":300,"M":2,"Addr":"127.0.0.1","P":42,"PM":1,"Raw":"Ynl0ZXM=","H":"none","C":3,"None":""}`},
		{method: "GET", target: "/defaults?s=&b=&i=&m=&p=&pm=&raw=", header: map[string]string{"X-Mode": "", "Cookie": "n="}, status: 200,
			want: `{"S":"hello world","B":true,"I":-7,"I8":-128,"U16":65535,"U64":18446744073709551615,"F32":0.1,"F64":0.001,"L":300,"M":2,"Addr":"127.0.0.1","P":42,"PM":1,"Raw":"Ynl0ZXM=","H":"none","C":3,"None":""}`},
		// Present values win, zero values included.
		{method: "GET", target: "/defaults?s=x&b=false&i=0&i8=1&u16=0&u64=0&f32=2.5&f64=0&l=-1&m=fast&addr=::1&p=0&pm=safe&raw=AB&none=n",
			header: map[string]string{"X-Mode": "turbo", "Cookie": "n=0"}, status: 200,
			want: `{"S":"x","B":false,"I":0,"I8":1,"U16":0,"U64":0,"F32":2.5,"F64":0,"L":-1,"M":1,"Addr":"::1","P":0,"PM":2,"Raw":"QUI=","H":"turbo","C":0,"None":"n"}`},
		{method: "GET", target: "/defaults?m=slow", status: 400, want: `~query parameter \"m\": \"slow\" is not a valid Mode: want fast or safe`},
		{method: "GET", target: "/defaults?l=40000", status: 400, want: `~query parameter \"l\": \"40000\" is out of range for int16`},
		{method: "GET", target: "/defaults", header: map[string]string{"Cookie": "n=three"}, status: 400, want: `~cookie \"n\": \"three\" is not a valid int`},
	} {
		tc.run(t)
	}
}

func TestAccount(t *testing.T) {
	full := map[string]string{"Authorization": "Bearer t", "Cookie": "session=s1; visits=4", "X-Trace-ID": "tr"}
	for _, tc := range []call{
		// Every required field that is missing is listed in one 422, in
		// field order, each with where it was looked for.
		{method: "GET", target: "/orgs/acme/accounts/7", status: 422,
			want: `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"authorization: required; session: required; limit: required","errors":[{"field":"authorization","in":"header","message":"required"},{"field":"session","in":"cookie","message":"required"},{"field":"limit","in":"query","message":"required"}]}`},
		{method: "GET", target: "/orgs/acme/accounts/7?limit=", header: map[string]string{"authorization": "x"}, status: 422,
			want: `~"errors":[{"field":"session","in":"cookie","message":"required"},{"field":"limit","in":"query","message":"required"}]}`},
		// A bad value is a 400 even when required fields are missing too.
		{method: "GET", target: "/orgs/acme/accounts/-1", status: 400, want: `~path parameter \"id\": \"-1\" is not a valid uint32`},
		{method: "GET", target: "/orgs/acme/accounts/7?limit=x", status: 400, want: `~query parameter \"limit\": \"x\" is not a valid int`},
		{method: "GET", target: "/orgs/acme/accounts/4294967296?limit=1", header: full, status: 400, want: `~\"4294967296\" is out of range for uint32`},
		{method: "GET", target: "/orgs/acme/accounts/7?limit=1&field=a&field=&field=b&Verbose=1", header: full, status: 200,
			want: `{"Org":"acme","ID":7,"Token":"Bearer t","Accept":null,"Trace":"tr","Session":"s1","Theme":"light","Visits":4,"Fields":["a","b"],"Limit":1,"Verbose":true}`},
		// Validate (value receiver) runs after binding: FieldErrors are
		// listed, another error is the detail.
		{method: "GET", target: "/orgs/acme/accounts/7?limit=101", header: full, status: 422,
			want: `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"limit: must be at most 100","errors":[{"field":"limit","in":"query","message":"must be at most 100"}]}`},
		{method: "GET", target: "/orgs/forbidden/accounts/7?limit=1", header: full, status: 422,
			want: `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"org is closed"}`},
		// Validate does not run when binding failed.
		{method: "GET", target: "/orgs/forbidden/accounts/7", header: full, status: 422, want: `~"errors":[{"field":"limit","in":"query","message":"required"}]`},
	} {
		tc.run(t)
	}

	// Repeated headers bind a []string; cookies with a value win over defaults.
	req := kktest.NewRequest("GET", "/orgs/o/accounts/1?limit=1", nil)
	req.Header.Set("Authorization", "a")
	req.Header.Add("Accept", "text/html")
	req.Header.Add("Accept", "application/json")
	req.Header.SetCookie("session", "s")
	req.Header.SetCookie("theme", "dark")
	resp := kktest.Serve(NewRouter(), req)
	if want := `{"Org":"o","ID":1,"Token":"a","Accept":["text/html","application/json"],"Trace":null,"Session":"s","Theme":"dark","Visits":0,"Fields":null,"Limit":1,"Verbose":false}`; string(resp.Body()) != want {
		t.Errorf("repeated headers: %d %s\nwant %s", resp.StatusCode(), resp.Body(), want)
	}
	if got := resp.Header.Peek("X-Skip"); len(got) != 0 {
		t.Errorf("unexported untagged field bound to %q", got)
	}
}

func TestShared(t *testing.T) {
	for _, tc := range []call{
		{method: "GET", target: "/a?q=1", status: 200, want: "a:1"},
		{method: "GET", target: "/b?q=2&extra=3", status: 200, want: "b:2:3"},
		{method: "GET", target: "/b", status: 422, want: `~"errors":[{"field":"q","in":"query","message":"required"}]`},
		{method: "GET", target: "/b?q=x&extra=y", status: 400, want: `~query parameter \"extra\"`},
	} {
		tc.run(t)
	}
}

func TestForm(t *testing.T) {
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	for _, tc := range []call{
		{method: "POST", target: "/signup?ref=ad", header: form, body: []byte("name=ann&email=a%40b.c&lang=go&lang=&lang=zig&agree=true&note=hi+there&invited=0"), status: 200,
			want: `{"Name":"ann","Email":"a@b.c","Ref":"ad","Origin":"","Age":18,"Agree":true,"Invited":false,"Langs":["go","zig"],"Note":"hi there","Avatar":"","Files":null}`},
		// Missing required fields from the form and the query, together.
		{method: "POST", target: "/signup", header: form, body: []byte("age=30"), status: 422,
			want: `~"errors":[{"field":"name","in":"form","message":"required"},{"field":"email","in":"form","message":"required"},{"field":"ref","in":"query","message":"required"}]`},
		// An empty form body is a form without fields.
		{method: "POST", target: "/signup?ref=x", header: form, status: 422, want: `~"errors":[{"field":"name","in":"form","message":"required"},{"field":"email","in":"form","message":"required"}]`},
		// Query values never stand in for form fields.
		{method: "POST", target: "/signup?ref=x&name=ann&email=a@b", header: form, body: []byte("x=1"), status: 422, want: `~{"field":"name","in":"form","message":"required"},{"field":"email"`},
		{method: "POST", target: "/signup?ref=x", header: form, body: []byte("name=ann&email=a@b&age=256"), status: 400, want: `~form field \"age\": \"256\" is out of range for uint8`},
		// Validate (pointer receiver) with several FieldErrors.
		{method: "POST", target: "/signup?ref=x", header: form, body: []byte("name=a&email=nope"), status: 422,
			want: `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"name: too short; email: not an address","errors":[{"field":"name","in":"form","message":"too short"},{"field":"email","in":"form","message":"not an address"}]}`},
		// Anything but a form is a 415 naming what is accepted.
		{method: "POST", target: "/signup?ref=x", header: map[string]string{"Content-Type": "application/json"}, body: []byte(`{"name":"ann"}`), status: 415,
			want: `{"type":"about:blank","title":"Unsupported Media Type","status":415,"detail":"unsupported Content-Type \"application/json\"; this route accepts application/x-www-form-urlencoded, multipart/form-data"}`},
		{method: "POST", target: "/signup?ref=x", body: []byte("name=ann"), status: 415, want: `~unsupported Content-Type \"none\"`},
		{method: "POST", target: "/signup?ref=x", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, body: []byte("name=ann&email=a@b"), status: 200, want: `~"Name":"ann"`},
	} {
		tc.run(t)
	}
}

func TestMultipart(t *testing.T) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("name", "bob")
	w.WriteField("email", "b@c.d")
	w.WriteField("lang", "go")
	w.WriteField("lang", "c")
	w.WriteField("age", "40")
	w.WriteField("note", "n")
	for _, f := range []struct{ field, name, data string }{
		{"avatar", "me.png", "PNG!"}, {"file", "a.txt", "aaa"}, {"file", "b.txt", "bb"}, {"file", "c.txt", ""},
	} {
		fw, err := w.CreateFormFile(f.field, f.name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(f.data))
	}
	w.Close()
	call{method: "POST", target: "/signup?ref=mp", header: map[string]string{"Content-Type": w.FormDataContentType(), "Origin": "https://x.test"}, body: buf.Bytes(), status: 200,
		want: `{"Name":"bob","Email":"b@c.d","Ref":"mp","Origin":"https://x.test","Age":40,"Agree":false,"Invited":null,"Langs":["go","c"],"Note":"n","Avatar":"me.png/4","Files":["a.txt/3","b.txt/2","c.txt/0"]}`}.run(t)

	// Files in a urlencoded body do not exist; a multipart body without
	// the required fields lists them.
	buf.Reset()
	w = multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", "only.txt")
	fw.Write([]byte("x"))
	w.Close()
	call{method: "POST", target: "/signup?ref=mp", header: map[string]string{"Content-Type": w.FormDataContentType()}, body: buf.Bytes(), status: 422,
		want: `~"errors":[{"field":"name","in":"form","message":"required"},{"field":"email","in":"form","message":"required"}]`}.run(t)
}

func TestQueryStructWithJSONBody(t *testing.T) {
	js := map[string]string{"Content-Type": "application/json"}
	for _, tc := range []call{
		{method: "PUT", target: "/items/3", header: js, body: []byte(`{"name":"x"}`), status: 200, want: "put 3=x"},
		{method: "PUT", target: "/items/3?dry_run=1", header: js, body: []byte(`{"name":"y"}`), status: 200, want: "would put 3=y"},
		{method: "PUT", target: "/items/3?dry_run=maybe", header: js, body: []byte(`{"name":"y"}`), status: 400, want: `~query parameter \"dry_run\"`},
	} {
		tc.run(t)
	}
}

func TestRequiredSlices(t *testing.T) {
	for _, tc := range []call{
		{method: "GET", target: "/batch", status: 422,
			want: `~"errors":[{"field":"id","in":"query","message":"required"},{"field":"X-Name","in":"header","message":"required"}]`},
		// Empty values do not count.
		{method: "GET", target: "/batch?id=&id=", header: map[string]string{"X-Name": ""}, status: 422,
			want: `~"errors":[{"field":"id","in":"query","message":"required"},{"field":"X-Name","in":"header","message":"required"}]`},
		{method: "GET", target: "/batch?id=3&id=1", header: map[string]string{"X-Name": "n", "Cookie": "size=2"}, status: 200,
			want: `{"IDs":[3,1],"Names":["n"],"Sizes":[2]}`},
		{method: "GET", target: "/batch?id=3&id=-1", header: map[string]string{"X-Name": "n"}, status: 400, want: `~query parameter \"id\": \"-1\" is not a valid uint`},
	} {
		tc.run(t)
	}
}

func TestRequiredFile(t *testing.T) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("other", "x")
	w.Close()
	call{method: "POST", target: "/avatar", header: map[string]string{"Content-Type": w.FormDataContentType()}, body: buf.Bytes(), status: 422,
		want: `~"errors":[{"field":"file","in":"form","message":"required"}]`}.run(t)
}
