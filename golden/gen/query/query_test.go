package query

import (
	"strings"
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

const bad = `{"type":"about:blank","title":"Bad Request","status":400,"detail":"query parameter \"`

func TestQuery(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		target string
		status int
		body   string
	}{
		// Absent keys, and keys with an empty value, leave the zero value.
		{"/scalars", 200, `{"S":"","B":false,"I":0,"I8":0,"I16":0,"I32":0,"I64":0,"U":0,"U8":0,"U16":0,"U32":0,"U64":0,"F32":0,"F64":0}`},
		{"/scalars?s=&b=&i=&u8=&f64=&b", 200, `{"S":"","B":false,"I":0,"I8":0,"I16":0,"I32":0,"I64":0,"U":0,"U8":0,"U16":0,"U32":0,"U64":0,"F32":0,"F64":0}`},
		{"/scalars?s=caf%C3%A9+au+lait&b=T&i=-42&i8=-128&i16=32767&i32=-2147483648&i64=9223372036854775807&u=7&u8=255&u16=65535&u32=4294967295&u64=18446744073709551615&f32=0.5&f64=-1e300", 200,
			`{"S":"café au lait","B":true,"I":-42,"I8":-128,"I16":32767,"I32":-2147483648,"I64":9223372036854775807,"U":7,"U8":255,"U16":65535,"U32":4294967295,"U64":18446744073709551615,"F32":0.5,"F64":-1e+300}`},
		// The first of repeated keys binds a scalar; keys are case-sensitive.
		{"/scalars?i=1&i=2&I=3&S=x", 200, `{"S":"","B":false,"I":1,"I8":0,"I16":0,"I32":0,"I64":0,"U":0,"U8":0,"U16":0,"U32":0,"U64":0,"F32":0,"F64":0}`},
		// Bad values are 400s naming the key, the value and the type.
		{"/scalars?b=yes", 400, bad + `b\": \"yes\" is not a valid bool"}`},
		{"/scalars?i=1.5", 400, bad + `i\": \"1.5\" is not a valid int"}`},
		{"/scalars?i8=128", 400, bad + `i8\": \"128\" is out of range for int8"}`},
		{"/scalars?i16=-32769", 400, bad + `i16\": \"-32769\" is out of range for int16"}`},
		{"/scalars?i32=2147483648", 400, bad + `i32\": \"2147483648\" is out of range for int32"}`},
		{"/scalars?i64=9223372036854775808", 400, bad + `i64\": \"9223372036854775808\" is out of range for int64"}`},
		{"/scalars?u=-1", 400, bad + `u\": \"-1\" is not a valid uint"}`},
		{"/scalars?u8=256", 400, bad + `u8\": \"256\" is out of range for uint8"}`},
		{"/scalars?u16=65536", 400, bad + `u16\": \"65536\" is out of range for uint16"}`},
		{"/scalars?u32=0x10", 400, bad + `u32\": \"0x10\" is not a valid uint32"}`},
		{"/scalars?u64=18446744073709551616", 400, bad + `u64\": \"18446744073709551616\" is out of range for uint64"}`},
		{"/scalars?f32=1e39", 400, bad + `f32\": \"1e39\" is out of range for float32"}`},
		{"/scalars?f64=one", 400, bad + `f64\": \"one\" is not a valid float64"}`},
		// The first bad key in parameter order is the one reported.
		{"/scalars?f64=x&i=y", 400, bad + `i\": \"y\" is not a valid int"}`},

		{"/named?name=ann&flag=1&level=-3&id=9&ratio=0.25&color=green&addr=::1&when=2024-02-29T12:00:00%2B02:00", 200,
			`{"Name":"ann","Flag":true,"Level":-3,"ID":9,"Ratio":0.25,"Color":2,"Addr":"::1","When":"2024-02-29T10:00:00Z"}`},
		{"/named", 200, `{"Name":"","Flag":false,"Level":0,"ID":0,"Ratio":0,"Color":0,"Addr":"","When":""}`},
		// Named types decode as their underlying kind and name it in errors.
		{"/named?level=200", 400, bad + `level\": \"200\" is out of range for int8"}`},
		{"/named?id=-1", 400, bad + `id\": \"-1\" is not a valid uint16"}`},
		{"/named?flag=on", 400, bad + `flag\": \"on\" is not a valid bool"}`},
		// UnmarshalText wins over the underlying int, and its message is kept.
		{"/named?color=2", 400, bad + `color\": \"2\" is not a valid Color: want red or green"}`},
		{"/named?addr=1.2.3", 400, bad + `addr\": \"1.2.3\" is not a valid netip.Addr: ParseAddr(\"1.2.3\"): IPv4 address too short"}`},
		{"/named?when=yesterday", 400, "~" + `when\": \"yesterday\" is not a valid time.Time: want an RFC 3339 time such as 2006-01-02T15:04:05Z`},

		// *T: nil when the key is absent or empty, else a pointer to the value,
		// zero included.
		{"/optional", 200, `{"N":null,"S":null,"B":null,"Level":null,"Color":null,"Addr":null}`},
		{"/optional?n=&s=&b=&level=&color=&addr=", 200, `{"N":null,"S":null,"B":null,"Level":null,"Color":null,"Addr":null}`},
		{"/optional?n=0&s=%20&b=false&level=0&color=red&addr=10.0.0.1", 200, `{"N":0,"S":" ","B":false,"Level":0,"Color":1,"Addr":"10.0.0.1"}`},
		{"/optional?n=x", 400, bad + `n\": \"x\" is not a valid int"}`},
		{"/optional?color=blue", 400, bad + `color\": \"blue\" is not a valid Color: want red or green"}`},

		// []T: every value, in order; empty values are skipped.
		{"/lists", 200, `{"Tags":null,"Nums":null,"Us":null,"Fs":null,"Levels":null,"Colors":null,"Addrs":null,"Flags":null}`},
		{"/lists?tag=b&tag=a&tag=&tag=b&num=-1&num=2&u=18446744073709551615&f=0.5&f=2&level=3&color=red&color=green&color=red&addr=::1&addr=1.2.3.4&flag=t&flag=0", 200,
			`{"Tags":["b","a","b"],"Nums":[-1,2],"Us":[18446744073709551615],"Fs":[0.5,2],"Levels":[3],"Colors":[1,2,1],"Addrs":["::1","1.2.3.4"],"Flags":[true,false]}`},
		{"/lists?tag=&num=", 200, `{"Tags":null,"Nums":null,"Us":null,"Fs":null,"Levels":null,"Colors":null,"Addrs":null,"Flags":null}`},
		{"/lists?num=1&num=2&num=300", 400, bad + `num\": \"300\" is out of range for int8"}`},
		{"/lists?color=red&color=x", 400, bad + `color\": \"x\" is not a valid Color: want red or green"}`},
		{"/lists?flag=t&flag=maybe", 400, bad + `flag\": \"maybe\" is not a valid bool"}`},

		// The pattern's parameter wins over a query key of the same name.
		{"/users/7/posts?id=8&q=go&limit=5", 200, `{"id":7,"limit":5,"q":"go"}`},
		{"/users/7/posts", 200, `{"id":7,"limit":null,"q":""}`},
		{"/users/7/posts?limit=256", 400, bad + `limit\": \"256\" is out of range for uint8"}`},
		{"/users/x/posts?limit=256", 400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"path parameter \"id\": \"x\" is not a valid int64"}`},
	} {
		resp := kktest.Do(r, "GET", tc.target)
		got := string(resp.Body())
		ok := resp.StatusCode() == tc.status
		if sub, isSub := strings.CutPrefix(tc.body, "~"); isSub {
			ok = ok && strings.Contains(got, sub)
		} else {
			ok = ok && got == tc.body
		}
		if !ok {
			t.Errorf("GET %s = %d %s\nwant %d %s", tc.target, resp.StatusCode(), got, tc.status, tc.body)
		}
		if tc.status == 200 && string(resp.Header.ContentType()) != "application/json" {
			t.Errorf("GET %s: Content-Type %q", tc.target, resp.Header.ContentType())
		}
	}
}
