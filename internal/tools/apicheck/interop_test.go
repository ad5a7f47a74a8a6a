package apicheck

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/kommandkit/kk/internal/tools/apicheck/client"
)

const token = "interop-token"

var listening = regexp.MustCompile(`"kk: listening" addr=(\S+)`)

// startExample builds the example and runs it on a loopback port until
// the test ends.
func startExample(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "example")
	build := exec.Command("go", "build", "-o", bin, "./example")
	build.Dir = "../../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the example: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-admin-addr", "off")
	cmd.Env = append(os.Environ(), "API_TOKEN="+token)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case a := <-addr:
		return "http://" + a
	case <-time.After(60 * time.Second):
		t.Fatal("the example did not start listening")
		return ""
	}
}

// checking is an http.RoundTripper that holds every answer, and every
// request that succeeds, to the example's 3.1 document with
// libopenapi-validator.
type checking struct {
	t *testing.T
	v validator.Validator
}

func (c checking) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	check := req.Clone(req.Context())
	check.Body = io.NopCloser(bytes.NewReader(reqBody))
	checkResp := *resp
	checkResp.Body = io.NopCloser(bytes.NewReader(body))
	// A request the test sends wrong on purpose (no token, say) is
	// checked by its answer only.
	ok, errs := c.v.ValidateHttpResponse(check, &checkResp)
	if resp.StatusCode < 400 {
		ok, errs = c.v.ValidateHttpRequestResponse(check, &checkResp)
	}
	if !ok {
		for _, e := range errs {
			c.t.Errorf("%s %s → %d does not match the document: %s (%s)", req.Method, req.URL.Path, resp.StatusCode, e.Message, e.Reason)
		}
	}
	return resp, nil
}

// TestGeneratedClientCallsExample: a client oapi-codegen generated from
// the example's 3.0 document creates a user and a todo on the running
// example and reads them back, typed; its 401 and 422 come back as the
// document's problem bodies; and every request and answer matches the
// 3.1 document.
func TestGeneratedClientCallsExample(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the example")
	}
	spec, err := os.ReadFile("../../../example/api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	base := startExample(t)
	hc := &http.Client{Transport: checking{t: t, v: v}, Timeout: 10 * time.Second}
	auth := client.RequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+token)
		return nil
	})
	c, err := client.NewClientWithResponses(base, client.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	created, err := c.UsersCreateWithResponse(ctx, client.NewUser{Name: "ada", Email: "ada@example.com"}, auth)
	if err != nil {
		t.Fatal(err)
	}
	u := created.JSON201
	if created.StatusCode() != 201 || u == nil || u.Name != "ada" || u.Email != "ada@example.com" || u.Id == 0 || u.Created.IsZero() {
		t.Fatalf("create: %d %+v %s", created.StatusCode(), u, created.Body)
	}
	got, err := c.UsersGetWithResponse(ctx, u.Id)
	if err != nil {
		t.Fatal(err)
	}
	if got.JSON200 == nil || !got.JSON200.Created.Equal(u.Created) || got.JSON200.Name != u.Name || got.JSON200.Id != u.Id {
		t.Errorf("get: %d %+v; want %+v", got.StatusCode(), got.JSON200, u)
	}

	added, err := c.TodosAddWithResponse(ctx, u.Id, client.NewTodo{Title: "write docs", Priority: 2, Tags: &[]string{"docs"}, EstimateHours: 1.5}, auth)
	if err != nil {
		t.Fatal(err)
	}
	td := added.JSON201
	if added.StatusCode() != 201 || td == nil || td.Title != "write docs" || td.Priority != 2 || td.EstimateHours != 1.5 || td.Tags == nil || !slices.Equal(*td.Tags, []string{"docs"}) {
		t.Fatalf("add todo: %d %+v %s", added.StatusCode(), td, added.Body)
	}
	list, err := c.TodosListWithResponse(ctx, u.Id, &client.TodosListParams{Tag: &[]string{"docs"}})
	if err != nil {
		t.Fatal(err)
	}
	if list.JSON200 == nil || len(*list.JSON200) != 1 || (*list.JSON200)[0].Id != td.Id {
		t.Errorf("list todos: %d %s; want the todo", list.StatusCode(), list.Body)
	}

	noToken, err := c.UsersCreateWithResponse(ctx, client.NewUser{Name: "bob", Email: "bob@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if p := noToken.ApplicationproblemJSON401; p == nil || p.Status != 401 {
		t.Errorf("create without a token: %d %s; want a 401 problem", noToken.StatusCode(), noToken.Body)
	}
	invalid, err := c.UsersCreateWithResponse(ctx, client.NewUser{Name: "", Email: "nope"}, auth)
	if err != nil {
		t.Fatal(err)
	}
	if p := invalid.ApplicationproblemJSON422; p == nil || p.Status != 422 || p.Errors == nil || len(*p.Errors) == 0 {
		t.Errorf("create an invalid user: %d %s; want a 422 problem listing fields", invalid.StatusCode(), invalid.Body)
	}
}
