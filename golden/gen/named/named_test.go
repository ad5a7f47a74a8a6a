package named

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

func TestNamed(t *testing.T) {
	r := NewRouter()
	const bad = `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"`
	for _, tc := range []struct {
		target string
		status int
		body   string
	}{
		{"/s/go/raw/true", 200, "named.Slug=go;string=raw;named.Flag=true;"},
		{"/s/go/raw/no", 400, bad + `flag\": \"no\" is not a valid bool"}`},
		{"/i/-1/-128/300/70000/-5", 200, "named.Count=-1;named.Small=-128;named.Medium=300;named.Large=70000;named.Huge=-5;"},
		{"/i/1/128/1/1/1", 400, bad + `b\": \"128\" is out of range for int8"}`},
		{"/i/1/1/32768/1/1", 400, bad + `c\": \"32768\" is out of range for int16"}`},
		{"/i/1/1/1/2147483648/1", 400, bad + `d\": \"2147483648\" is out of range for int32"}`},
		{"/u/1/255/8080/4294967295/18446744073709551615", 200, "named.Ucount=1;named.Octet=255;named.Port=8080;named.Ip4=4294967295;named.Id=18446744073709551615;"},
		{"/u/1/1/65536/1/1", 400, bad + `c\": \"65536\" is out of range for uint16"}`},
		{"/u/-1/1/1/1/1", 400, bad + `a\": \"-1\" is not a valid uint"}`},
		{"/f/0.5/1e300", 200, "named.Ratio=0.5;named.Score=1e+300;"},
		{"/f/1e40/1", 400, bad + `r\": \"1e40\" is out of range for float32"}`},
		{"/x/-7/443", 200, "int16=-7;named.Deep=443;"},
		{"/x/40000/1", 400, bad + `a\": \"40000\" is out of range for int16"}`},
		{"/x/1/70000", 400, bad + `d\": \"70000\" is out of range for uint16"}`},
	} {
		resp := kktest.Do(r, "GET", tc.target)
		if resp.StatusCode() != tc.status || string(resp.Body()) != tc.body {
			t.Errorf("GET %s = %d %s; want %d %s", tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
}
