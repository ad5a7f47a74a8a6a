package pattern

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		raw    string
		params []string
		shape  string
		errs   []Error
	}{
		{raw: "/", shape: "/"},
		{raw: "/users/:id/profile", params: []string{"id"}, shape: "/users/:/profile"},
		{raw: "/files/*path", params: []string{"path"}, shape: "/files/*"},
		{raw: "/a/", shape: "/a/"},
		{raw: "users", errs: []Error{{0, `pattern "users" must start with "/"`}}},
		{raw: "/users/:", params: []string{""}, shape: "/users/:", errs: []Error{{7, `parameter in pattern "/users/:" has an empty name`}}},
		{raw: "/f/*", params: []string{""}, shape: "/f/*", errs: []Error{{3, `catch-all in pattern "/f/*" has an empty name`}}},
		{raw: "/f/*rest/x", params: []string{"rest"}, shape: "/f/*/x", errs: []Error{{3, `catch-all "*rest" must be the last segment of pattern "/f/*rest/x"`}}},
		{raw: "/:id/:id", params: []string{"id", "id"}, shape: "/:/:", errs: []Error{{5, `parameter name "id" is used twice in pattern "/:id/:id"`}}},
		{raw: "/:a-b", params: []string{"a-b"}, shape: "/:", errs: []Error{{1, `parameter name "a-b" in pattern "/:a-b" is not a Go identifier`}}},
		{raw: "/:type", params: []string{"type"}, shape: "/:", errs: []Error{{1, `parameter name "type" in pattern "/:type" is a Go keyword, so no handler parameter can bind it`}}},
		{raw: "/a//b", shape: "/a//b", errs: []Error{{3, `pattern "/a//b" has an empty segment ("//"), which no request path can match`}}},
		{raw: "/a?b=1", shape: "/a?b=1", errs: []Error{{2, `pattern "/a?b=1" must not contain "?": patterns match the path only`}}},
		{raw: "/v1/a:b", shape: "/v1/a:b"}, // ':' inside a segment is literal
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
		if got := p.Shape(); got != tc.shape {
			t.Errorf("Parse(%q).Shape() = %q, want %q", tc.raw, got, tc.shape)
		}
	}
}
