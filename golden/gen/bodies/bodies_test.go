package bodies

import (
	"strings"
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

type call struct {
	method, target, ctype, body string
	status                      int
	want                        string // exact body, or "~substr"
}

func run(t *testing.T, calls []call) {
	t.Helper()
	r := NewRouter()
	for _, tc := range calls {
		var body []byte
		if tc.body != "" {
			body = []byte(tc.body)
		}
		req := kktest.NewRequest(tc.method, tc.target, body)
		if tc.ctype != "" {
			req.Header.SetContentType(tc.ctype)
		}
		resp := kktest.Serve(r, req)
		got := string(resp.Body())
		ok := resp.StatusCode() == tc.status
		if sub, isSub := strings.CutPrefix(tc.want, "~"); isSub {
			ok = ok && strings.Contains(got, sub)
		} else {
			ok = ok && got == tc.want
		}
		if !ok {
			t.Errorf("%s %s %q = %d %s\nwant %d %s", tc.method, tc.target, tc.body, resp.StatusCode(), got, tc.status, tc.want)
		}
	}
}

const js = "application/json"

func TestJSONStruct(t *testing.T) {
	run(t, []call{
		{"POST", "/points", js, `{"x":1,"y":2}`, 200, "1,2"},
		// Unknown fields are ignored; absent ones stay zero.
		{"POST", "/points", js, `{"x":1,"z":9}`, 200, "1,0"},
		{"POST", "/points", "application/json; charset=utf-8", `{"x":3}`, 200, "3,0"},
		{"POST", "/points", "Application/JSON", `{"x":4}`, 200, "4,0"},
		{"POST", "/points", "application/problem+json", `{"x":5}`, 200, "5,0"},
		// Value-receiver Validate: a plain error is the 422's detail.
		{"POST", "/points", js, `{"x":-1}`, 422,
			`{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"coordinates must not be negative"}`},
		// The Content-Type decides, not the body.
		{"POST", "/points", "", `{"x":1}`, 415,
			`{"type":"about:blank","title":"Unsupported Media Type","status":415,"detail":"unsupported Content-Type \"none\"; this route accepts application/json"}`},
		{"POST", "/points", "text/json", `{"x":1}`, 415, `~unsupported Content-Type \"text/json\"; this route accepts application/json`},
		{"POST", "/points", "application/x-www-form-urlencoded", "x=1", 415, `~this route accepts application/json`},
		// Malformed JSON: 400 with the offset.
		{"POST", "/points", js, "", 400, `~request body is empty; want a JSON document`},
		{"POST", "/points", js, "  \n", 400, `~request body is empty`},
		{"POST", "/points", js, `{"x":1,}`, 400,
			`{"type":"about:blank","title":"Bad Request","status":400,"detail":"malformed JSON body at offset 8: invalid character '}' looking for beginning of object key string"}`},
		{"POST", "/points", js, `{"x":1`, 400, `~malformed JSON body at offset 6: unexpected end of JSON input`},
		{"POST", "/points", js, `{"x":1} {"x":2}`, 400, `~malformed JSON body at offset 9: invalid character '{' after top-level value`},
		{"POST", "/points", js, `{"x":"1"}`, 400, `~JSON body field x at offset 8: cannot use string as int`},
		{"POST", "/points", js, `[1]`, 400, `~JSON body at offset 1: cannot use array as bodies.Point`},
		// A declared 201, and pointer-receiver Validate listing field errors.
		{"POST", "/users", js, `{"name":"ann","email":"a@b","tags":["x"]}`, 201, `{"name":"ann","email":"a@b","tags":["x"]}`},
		{"POST", "/users", js, `{"email":"nope"}`, 422,
			`{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"name: required; email: not an address","errors":[{"field":"name","in":"body","message":"required"},{"field":"email","in":"body","message":"not an address"}]}`},
		{"POST", "/users", js, `{"name":"ann","email":"a@b","tags":"x"}`, 400, `~JSON body field tags at offset 38: cannot use string as []string`},
	})
}

func TestJSONPointer(t *testing.T) {
	run(t, []call{
		{"PUT", "/boxes", js, `{"W":2,"H":3}`, 200, "2x3"},
		// null decodes to a nil pointer, which the handler gets.
		{"PUT", "/boxes", js, `null`, 200, "nil"},
		{"PUT", "/boxes", "text/plain", `{}`, 415, `~accepts application/json`},
	})
}

func TestJSONPointerValidate(t *testing.T) {
	run(t, []call{
		{"PUT", "/users", js, `{"name":"ann","email":"a@b"}`, 200, "validated ann"},
		{"PUT", "/users", js, `{"name":"ann"}`, 422, `~"errors":[{"field":"email","in":"body","message":"not an address"}]`},
	})
}

func TestJSONSlicesAndMaps(t *testing.T) {
	run(t, []call{
		{"POST", "/many-points", js, `[{"x":1,"y":2},{"x":3}]`, 200, "6"},
		{"POST", "/many-points", js, `[]`, 200, "0"},
		{"POST", "/many-points", js, `{"x":1}`, 400, `~JSON body at offset 1: cannot use object as []bodies.Point`},
		// A named slice with Validate.
		{"POST", "/paths", js, `[{},{},{}]`, 200, "3"},
		{"POST", "/paths", js, `[{},{},{},{}]`, 422, `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"at most 3 points, got 4"}`},
		// A named slice of numbers is the JSON body, not the query.
		{"POST", "/ids?ids=100", js, `[1,2,3]`, 200, "6"},
		{"POST", "/ids", js, `[1,-2]`, 409, `~negative sum`},
		// (encoding/json names no field inside slices and maps.)
		{"POST", "/ids", js, `[1,"2"]`, 400, `~at offset 6: cannot use string as int64`},
		// A named map whose Validate wraps FieldErrors: they are listed.
		{"POST", "/scores", js, `{"b":1,"a":2}`, 200, "a,b"},
		{"POST", "/scores", js, `{"b":101,"a":200,"c":3}`, 422,
			`{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"scores: a: over 100; b: over 100","errors":[{"field":"a","message":"over 100"},{"field":"b","message":"over 100"}]}`},
		{"POST", "/labels", js, `{"env":"prod"}`, 200, `{"ENV":"prod"}`},
		{"POST", "/labels", js, `null`, 200, `{}`},
		{"POST", "/labels", js, `{"env":1}`, 400, `~at offset 8: cannot use number as string`},
	})
}

func TestRawBodies(t *testing.T) {
	run(t, []call{
		// Raw bodies take any Content-Type, or none.
		{"PUT", "/raw/n1", "", "hello", 200, "n1:5:hello"},
		{"PUT", "/raw/n1", js, `{"a":1}`, 200, `n1:7:{"a":1}`},
		{"PUT", "/raw/empty", "", "", 200, "empty:0:"},
		{"PUT", "/named-raw", "image/png", "\x89PNG", 200, "got \x89PNG"},
		{"POST", "/stream", "text/plain", "the quick  brown fox", 200, "20 bytes, 4 words"},
		{"POST", "/stream", "", "", 200, "0 bytes, 0 words"},
	})
}

func TestAllowBody(t *testing.T) {
	run(t, []call{
		{"GET", "/search?limit=5", js, `{"terms":["a","b"]}`, 200, "a+b limit 5"},
		// The GET still needs its body like any JSON route.
		{"GET", "/search", "", "", 415, `~this route accepts application/json`},
		{"GET", "/search", js, "", 400, `~request body is empty`},
		// HEAD is served by the GET route, with no body sent.
		{"HEAD", "/search", js, `{"terms":["a"]}`, 200, ""},
	})
}
