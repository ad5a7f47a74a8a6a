package intparams

import (
	"math"
	"strconv"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestIntParams(t *testing.T) {
	r := NewRouter()
	type bounds struct {
		kind     string
		min, max string // the extremes, which decode
		below    string // one below min: out of range, or for uints a sign
		above    string // one above max: out of range
	}
	i := func(n int64) string { return strconv.FormatInt(n, 10) }
	u := func(n uint64) string { return strconv.FormatUint(n, 10) }
	for _, b := range []bounds{
		{"int", i(math.MinInt), i(math.MaxInt), "-9223372036854775809", "9223372036854775808"},
		{"int8", "-128", "127", "-129", "128"},
		{"int16", "-32768", "32767", "-32769", "32768"},
		{"int32", "-2147483648", "2147483647", "-2147483649", "2147483648"},
		{"int64", i(math.MinInt64), i(math.MaxInt64), "-9223372036854775809", "9223372036854775808"},
		{"uint", "0", u(math.MaxUint), "-1", "18446744073709551616"},
		{"uint8", "0", "255", "-1", "256"},
		{"uint16", "0", "65535", "-1", "65536"},
		{"uint32", "0", "4294967295", "-1", "4294967296"},
		{"uint64", "0", u(math.MaxUint64), "-1", "18446744073709551616"},
	} {
		for _, ok := range []string{b.min, b.max, "7"} {
			resp := kktest.Do(r, "GET", "/"+b.kind+"/"+ok)
			if resp.StatusCode() != 200 || string(resp.Body()) != ok {
				t.Errorf("GET /%s/%s = %d %s; want 200 %s", b.kind, ok, resp.StatusCode(), resp.Body(), ok)
			}
		}
		unsigned := b.kind[0] == 'u'
		for _, bad := range []struct{ v, detail string }{
			{b.above, strconv.Quote(b.above) + " is out of range for " + b.kind},
			{b.below, map[bool]string{
				false: strconv.Quote(b.below) + " is out of range for " + b.kind,
				true:  strconv.Quote(b.below) + " is not a valid " + b.kind,
			}[unsigned]},
			{"abc", `"abc" is not a valid ` + b.kind},
			{"1.5", `"1.5" is not a valid ` + b.kind},
			{"0x10", `"0x10" is not a valid ` + b.kind},
			{"1_000", `"1_000" is not a valid ` + b.kind},
		} {
			resp := kktest.Do(r, "GET", "/"+b.kind+"/"+bad.v)
			want := `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"v\": ` + jsonEscape(bad.detail) + `"}`
			if resp.StatusCode() != 400 || string(resp.Body()) != want {
				t.Errorf("GET /%s/%s = %d %s; want 400 %s", b.kind, bad.v, resp.StatusCode(), resp.Body(), want)
			}
		}
	}
	for target, want := range map[string]string{
		"/int8/+5":             "5",
		"/int8/-0":             "0",
		"/int16/007":           "7",
		"/byte/255/rune/-1":    "255 -1",
		"/byte/0/rune/1114111": "0 1114111",
	} {
		resp := kktest.Do(r, "GET", target)
		if resp.StatusCode() != 200 || string(resp.Body()) != want {
			t.Errorf("GET %s = %d %s; want 200 %s", target, resp.StatusCode(), resp.Body(), want)
		}
	}
	// Unsigned parameters take no sign at all.
	for target, status := range map[string]int{
		"/byte/256/rune/1": 400,
		"/uint/+3":         400,
		"/uint8/-0":        400,
		"/int/%201":        400,
		"/int/1%20":        400,
		"/int/":            404,
		"/int/1/":          404,
	} {
		if resp := kktest.Do(r, "GET", target); resp.StatusCode() != status {
			t.Errorf("GET %s = %d %s; want %d", target, resp.StatusCode(), resp.Body(), status)
		}
	}
	// The second parameter is named in the error, not the first.
	resp := kktest.Do(r, "GET", "/sum/1/70000/3")
	if want := `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"b\": \"70000\" is out of range for uint16"}`; string(resp.Body()) != want {
		t.Errorf("GET /sum/1/70000/3 = %d %s; want 400 %s", resp.StatusCode(), resp.Body(), want)
	}
}

func jsonEscape(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// TestNoAllocs checks that routing, decoding numeric parameters and writing
// a short response allocate nothing on a warm path.
func TestNoAllocs(t *testing.T) {
	h := NewRouter().Handler()
	var rc fasthttp.RequestCtx
	rc.Request.Header.SetMethod("GET")
	rc.Request.SetRequestURI("/sum/-12/65535/42")
	serve := func() {
		rc.Response.Reset()
		h(&rc)
	}
	serve()
	if rc.Response.StatusCode() != 200 || string(rc.Response.Body()) != "ok" {
		t.Fatalf("GET /sum/-12/65535/42 = %d %s", rc.Response.StatusCode(), rc.Response.Body())
	}
	if n := testing.AllocsPerRun(100, serve); n != 0 {
		t.Errorf("serving GET /sum/-12/65535/42 allocates %v times; want 0", n)
	}
}
