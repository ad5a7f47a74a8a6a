package apidoc

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/valyala/fasthttp"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

func serve(t *testing.T, method, target, body string, header ...string) (int, kk.Problem) {
	t.Helper()
	req := kktest.NewRequest(method, target, []byte(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp := kktest.Serve(NewRouter(), req)
	var p kk.Problem
	if resp.StatusCode() >= 400 {
		if err := json.Unmarshal(resp.Body(), &p); err != nil {
			t.Fatalf("%s %s: %d with a body that is no problem: %q", method, target, resp.StatusCode(), resp.Body())
		}
	}
	return resp.StatusCode(), p
}

// fields lists a problem's field errors as "field: message", sorted.
func fields(p kk.Problem) []string {
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Field+": "+f.Message)
	}
	slices.Sort(out)
	return out
}

// TestQueryConstraints: every failing field of an input struct is listed
// in one 422; absent optional fields are not checked, and a default
// stands in for an absent value.
func TestQueryConstraints(t *testing.T) {
	for _, tc := range []struct {
		target string
		status int
		want   []string
	}{
		{"/pets", 200, nil},
		{"/pets?limit=1&name=Rex&tag=1&tag=2&tag=3&status=sold", 200, nil},
		{"/pets?limit=0&name=abc1&tag=0&status=lost", 422, []string{
			"limit: must be at least 1", "name: must match the pattern ^[A-Za-z ]*$", "status: must be one of available, pending, sold", "tag: each item must be at least 1"}},
		{"/pets?limit=101&name=" + url.QueryEscape("abcdefghijk") + "&tag=1&tag=2&tag=3&tag=4", 422, []string{
			"limit: must be at most 100", "name: must have at most 10 characters", "tag: must have at most 3 items"}},
	} {
		status, p := serve(t, "GET", tc.target, "")
		if status != tc.status || !slices.Equal(fields(p), tc.want) {
			t.Errorf("GET %s = %d %q; want %d %q", tc.target, status, fields(p), tc.status, tc.want)
		}
	}
}

// TestBodyConstraints: a JSON body's constraints run after decoding and
// before Validate, and list every failing field; lengths count
// characters, not bytes.
func TestBodyConstraints(t *testing.T) {
	auth := []string{"Authorization", "Bearer good"}
	for _, tc := range []struct {
		body   string
		status int
		want   []string
	}{
		{`{"name":"Rex","status":"available","age":3}`, 201, nil},
		{`{"name":"` + strings.Repeat("é", 40) + `","status":"sold","age":0,"tags":["cute","calm"]}`, 201, nil},
		{`{"name":"` + strings.Repeat("é", 41) + `","status":"sold","age":0}`, 422, []string{"name: must have at most 40 characters"}},
		{`{"name":"","status":"lost","age":101,"tags":["cute","mean"]}`, 422, []string{
			"age: must be at most 100", "name: must have at least 1 character", "status: must be one of available, pending, sold", "tags: each item must be one of cute, loud, calm"}},
		{`{"name":"Rex","status":"sold","age":-1,"tags":["cute","loud","calm","cute"]}`, 422, []string{"age: must be at least 0", "tags: must have at most 3 items"}},
		// Nested structs are checked too, named by their paths.
		{`{"name":"Rex","status":"sold","age":1,"owner":{"name":"A","email":""},"toys":[{"name":"ball"},{"name":"","parts":[{"name":"abcdefghijk"},{"name":"x"},{"name":"y"}]}]}`, 422, []string{
			"owner.name: must have at least 2 characters", "toys[1].name: must have at least 1 character", "toys[1].parts: must have at most 2 items"}},
		{`{"name":"Rex","status":"sold","age":1,"owner":null,"toys":[{"name":"ball","parts":[{"name":"bell"}]}]}`, 201, nil},
		// Validate runs only once the constraints hold.
		{`{"name":"nobody","status":"sold","age":1}`, 422, []string{"name: is reserved"}},
		{`{"name":"nobody","status":"sold","age":1000}`, 422, []string{"age: must be at most 100"}},
	} {
		status, p := serve(t, "POST", "/pets", tc.body, append(auth, "Content-Type", "application/json")...)
		if status != tc.status || !slices.Equal(fields(p), tc.want) {
			t.Errorf("POST /pets %s = %d %q; want %d %q", tc.body, status, fields(p), tc.status, tc.want)
		}
	}
	if status, _ := serve(t, "POST", "/pets", `{"name":"Rex","status":"sold"}`, "Content-Type", "application/json"); status != 401 {
		t.Errorf("POST /pets without a token = %d; want 401", status)
	}
}

// FuzzQueryConstraints holds the generated checks of ListParams to an
// oracle written from the tags with strconv, regexp and utf8: the same
// fields fail, with the same status.
func FuzzQueryConstraints(f *testing.F) {
	f.Add("20", "Rex", "1", "available")
	f.Add("0", "abc1", "-5", "lost")
	f.Add("101", "ééééééééééé", "2", "")
	f.Add("x", "", "", "sold")
	nameRE := regexp.MustCompile(`^[A-Za-z ]*$`)
	f.Fuzz(func(t *testing.T, limit, name, tag, status string) {
		q := url.Values{}
		for k, v := range map[string]string{"limit": limit, "name": name, "tag": tag, "status": status} {
			if v != "" {
				q.Set(k, v)
			}
		}
		target := "/pets?" + q.Encode()
		// The oracle: a value that does not decode is a 400; else each
		// broken constraint names its field.
		var want []string
		lim := 20
		if limit != "" {
			n, err := strconv.ParseInt(limit, 10, 0)
			if err != nil {
				t.Skip() // a 400 for a bad number: the decoders' own fuzz targets cover it
			}
			lim = int(n)
		}
		if tag != "" {
			n, err := strconv.ParseInt(tag, 10, 0)
			if err != nil {
				t.Skip()
			}
			if n < 1 {
				want = append(want, "tag")
			}
		}
		if lim < 1 || lim > 100 {
			want = append(want, "limit")
		}
		if name != "" && (utf8.RuneCountInString(name) > 10 || !nameRE.MatchString(name)) {
			want = append(want, "name")
		}
		if status != "" && status != "available" && status != "pending" && status != "sold" {
			want = append(want, "status")
		}
		if !utf8.ValidString(name) || !utf8.ValidString(status) {
			t.Skip() // the query carries bytes; leave invalid UTF-8 to the decoders
		}
		slices.Sort(want)
		req := kktest.NewRequest("GET", target, nil)
		resp := kktest.Serve(NewRouter(), req)
		wantStatus := fasthttp.StatusOK
		if len(want) > 0 {
			wantStatus = 422
		}
		var p kk.Problem
		_ = json.Unmarshal(resp.Body(), &p)
		var got []string
		for _, fe := range p.Errors {
			if !slices.Contains(got, fe.Field) {
				got = append(got, fe.Field)
			}
		}
		slices.Sort(got)
		if resp.StatusCode() != wantStatus || !slices.Equal(got, want) {
			t.Errorf("GET %s = %d %q; want %d %q", target, resp.StatusCode(), got, wantStatus, want)
		}
	})
}

// TestArgumentEnum: a handler parameter of a named type with constants
// takes only those, and may be absent.
func TestArgumentEnum(t *testing.T) {
	auth := []string{"Authorization", "Bearer good"}
	if status, p := serve(t, "GET", "/pets/watch?status=lost", "", auth...); status != 422 || !slices.Equal(fields(p), []string{"status: must be one of available, pending, sold"}) {
		t.Errorf("GET /pets/watch?status=lost = %d %q; want 422 naming status", status, fields(p))
	}
	for _, target := range []string{"/pets/watch?status=sold", "/pets/watch"} {
		if status, _ := serve(t, "GET", target, "", auth...); status != 200 {
			t.Errorf("GET %s = %d; want 200", target, status)
		}
	}
}
