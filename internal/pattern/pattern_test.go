package pattern

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		raw    string
		params []string
		errs   []Error
	}{
		{raw: "/"},
		{raw: "/users/:id/profile", params: []string{"id"}},
		{raw: "/files/*path", params: []string{"path"}},
		{raw: "/a/"},
		{raw: "users", errs: []Error{{Offset: 0, Msg: `pattern "users" must start with "/"`}}},
		{raw: "/users/:", params: []string{""}, errs: []Error{{Offset: 7, Msg: `parameter in pattern "/users/:" has an empty name`}}},
		{raw: "/f/*", params: []string{""}, errs: []Error{{Offset: 3, Msg: `catch-all in pattern "/f/*" has an empty name`}}},
		{raw: "/f/*rest/x", params: []string{"rest"}, errs: []Error{{Offset: 3, Msg: `catch-all "*rest" must be the last segment of pattern "/f/*rest/x"`}}},
		{raw: "/:id/:id", params: []string{"id", "id"}, errs: []Error{{Offset: 5, Msg: `parameter name "id" is used twice in pattern "/:id/:id"`}}},
		{raw: "/:a-b", params: []string{"a-b"}, errs: []Error{{Offset: 1, Msg: `parameter name "a-b" in pattern "/:a-b" is not a Go identifier`}}},
		{raw: "/:type", params: []string{"type"}, errs: []Error{{Offset: 1, Msg: `parameter name "type" in pattern "/:type" is a Go keyword, so no handler parameter can bind it`}}},
		{raw: "/a//b", errs: []Error{{Offset: 3, Msg: `pattern "/a//b" has an empty segment ("//"), which no request path can match`}}},
		{raw: "/a?b=1", errs: []Error{{Offset: 2, Msg: `pattern "/a?b=1" must not contain "?": patterns match the path only`}}},
		{raw: "/v1/a:b"}, // ':' inside a segment is literal
	} {
		p, errs := Parse(tc.raw)
		if diff := cmp.Diff(tc.errs, errs); diff != "" {
			t.Errorf("Parse(%q) errors (-want +got):\n%s", tc.raw, diff)
		}
		if len(tc.errs) > 0 && tc.errs[0].Offset == 0 {
			continue
		}
		if got := p.Params(); !cmp.Equal(got, tc.params) {
			t.Errorf("Parse(%q).Params() = %q, want %q", tc.raw, got, tc.params)
		}
	}
}

func TestJoin(t *testing.T) {
	for _, tc := range []struct {
		prefix, raw string
		want        string // the joined Raw
		params      []string
		errs        []Error
	}{
		{prefix: "/api", raw: "/users/:id", want: "/api/users/:id", params: []string{"id"}},
		{prefix: "/api/", raw: "/users", want: "/api/users"},
		{prefix: "/api", raw: "/", want: "/api/"},
		{prefix: "/", raw: "/x", want: "/x"},
		{prefix: "/orgs/:org", raw: "/repos/:id", want: "/orgs/:org/repos/:id", params: []string{"org", "id"}},
		{prefix: "/orgs/:org", raw: "/x/:org", want: "/orgs/:org/x/:org", params: []string{"org", "org"},
			errs: []Error{{Offset: 3, Msg: `parameter name "org" is used twice in pattern "/orgs/:org/x/:org"`}}},
		{prefix: "/files/*rest", raw: "/meta", want: "/files/*rest/meta", params: []string{"rest"},
			errs: []Error{{Offset: 7, Msg: `catch-all "*rest" must be the last segment of pattern "/files/*rest/meta"`, Prefix: true}}},
	} {
		pre, perrs := Parse(tc.prefix)
		p, rerrs := Parse(tc.raw)
		if len(perrs)+len(rerrs) > 0 {
			t.Fatalf("Parse(%q), Parse(%q): %v %v", tc.prefix, tc.raw, perrs, rerrs)
		}
		j, errs := Join(pre, p)
		if j.Raw != tc.want {
			t.Errorf("Join(%q, %q).Raw = %q, want %q", tc.prefix, tc.raw, j.Raw, tc.want)
		}
		if got := j.Params(); !cmp.Equal(got, tc.params) {
			t.Errorf("Join(%q, %q).Params() = %q, want %q", tc.prefix, tc.raw, got, tc.params)
		}
		if diff := cmp.Diff(tc.errs, errs); diff != "" {
			t.Errorf("Join(%q, %q) errors (-want +got):\n%s", tc.prefix, tc.raw, diff)
		}
		whole, _ := Parse(tc.want)
		for i, s := range j.Segments {
			if s.Kind != whole.Segments[i].Kind || s.Text != whole.Segments[i].Text {
				t.Errorf("Join(%q, %q) segment %d = %+v, want %+v as Parse(%q) has it", tc.prefix, tc.raw, i, s, whole.Segments[i], tc.want)
			}
		}
	}
}
