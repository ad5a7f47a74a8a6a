package bodychecks

import (
	"encoding/json"
	"slices"
	"testing"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// serve answers one request and returns its status and, for an error, the
// problem's field errors as "field: message", sorted.
func serve(t *testing.T, method, target, body string) (int, []string) {
	t.Helper()
	req := kktest.NewRequest(method, target, []byte(body))
	if body != "" {
		req.Header.SetContentType("application/json")
	}
	resp := kktest.Serve(NewRouter(), req)
	if resp.StatusCode() < 400 {
		return resp.StatusCode(), nil
	}
	var p kk.Problem
	if err := json.Unmarshal(resp.Body(), &p); err != nil {
		t.Fatalf("%s %s: %d with a body that is no problem: %q", method, target, resp.StatusCode(), resp.Body())
	}
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Field+": "+f.Message)
	}
	slices.Sort(out)
	return resp.StatusCode(), out
}

type want struct {
	method, target, body string
	status               int
	fields               []string
}

func run(t *testing.T, cases []want) {
	t.Helper()
	for _, tc := range cases {
		status, fields := serve(t, tc.method, tc.target, tc.body)
		if status != tc.status || !slices.Equal(fields, tc.fields) {
			t.Errorf("%s %s %s = %d %q; want %d %q", tc.method, tc.target, tc.body, status, fields, tc.status, tc.fields)
		}
	}
}

// TestTwoEnumArguments: two arguments with constants compile in one
// wrapper, and one 422 names every argument outside its constants.
func TestTwoEnumArguments(t *testing.T) {
	run(t, []want{
		{"GET", "/count?color=red&size=2", "", 200, nil},
		{"GET", "/count", "", 200, nil},
		{"GET", "/count?color=green&size=3", "", 422, []string{"color: must be one of red, blue", "size: must be one of 1, 2"}},
		{"GET", "/count?color=blue&size=3", "", 422, []string{"size: must be one of 1, 2"}},
		{"GET", "/pick/red/1", "", 200, nil},
		{"GET", "/pick/green/7", "", 422, []string{"color: must be one of red, blue", "size: must be one of 1, 2"}},
	})
}

// TestPointerToSlice: a *[]string field's item count and items are
// checked when it is present, and not when it is null or absent.
func TestPointerToSlice(t *testing.T) {
	run(t, []want{
		{"POST", "/tagged", `{}`, 200, nil},
		{"POST", "/tagged", `{"tags":null}`, 200, nil},
		{"POST", "/tagged", `{"tags":["a","bc"]}`, 200, nil},
		{"POST", "/tagged", `{"tags":[]}`, 422, []string{"tags: must have at least 1 item"}},
		{"POST", "/tagged", `{"tags":["a","b","long"]}`, 422, []string{"tags: each item must have at most 3 characters", "tags: must have at most 2 items"}},
	})
}

// TestPromotedFields: constraints of fields promoted from embedded
// structs are enforced as encoding/json fills them: through an embedded
// pointer only when the body sets one of its fields, and a deeper field
// hidden by a shallower one of the same name not at all.
func TestPromotedFields(t *testing.T) {
	run(t, []want{
		{"POST", "/embedded", `{"name":"ab","code":1}`, 200, nil},
		{"POST", "/embedded", `{"name":"a","code":0}`, 422, []string{"code: must be at least 1", "name: must have at least 2 characters"}},
		{"POST", "/embedded", `{"name":"ab","code":5,"note":"long"}`, 422, []string{"note: must have at most 3 characters"}},
		{"POST", "/embedded", `{"name":"ab","code":5,"note":"ok"}`, 200, nil},
	})
}

// TestCollectionBodies: a body that is a slice or a map of structs has
// every element checked, each failure named by its index or key.
func TestCollectionBodies(t *testing.T) {
	run(t, []want{
		{"POST", "/many", `[{"name":"a"},{"name":"b"}]`, 200, nil},
		{"POST", "/many", `[{"name":"a"},{"name":""},{"name":""}]`, 422, []string{"[1].name: must have at least 1 character", "[2].name: must have at least 1 character"}},
		{"POST", "/manyptr", `[null,{"name":""}]`, 422, []string{"[1].name: must have at least 1 character"}},
		{"POST", "/manyptr", `[null,{"name":"a"}]`, 200, nil},
		{"POST", "/byname", `{"x":{"name":"a"}}`, 200, nil},
		{"POST", "/byname", `{"x":{"name":""}}`, 422, []string{"[x].name: must have at least 1 character"}},
	})
}

// TestConflict: what the server writes for Conflict, the members its
// document and clients describe.
func TestConflict(t *testing.T) {
	resp := kktest.Serve(NewRouter(), kktest.NewRequest("GET", "/conflict", nil))
	if got := string(resp.Body()); got != `{"x":"right","y":2}` {
		t.Errorf("GET /conflict = %s", got)
	}
}

// TestUnexportedConstant: an unexported constant is not one of the
// values the server accepts (nor the document's enum, nor the TS union).
func TestUnexportedConstant(t *testing.T) {
	run(t, []want{
		{"GET", "/level?level=low", "", 200, nil},
		{"GET", "/level?level=high", "", 422, []string{"level: must be one of low"}},
	})
}
