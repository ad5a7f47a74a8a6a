package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kommandkit/kk/bus"
	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// logs collects what the service logs while the tests run, so tests can
// check that a 5xx's message is logged rather than sent.
var logs syncBuffer

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	code := m.Run()
	if code != 0 && testing.Verbose() {
		fmt.Fprintf(os.Stderr, "--- service log:\n%s", logs.String())
	}
	os.Exit(code)
}

// client talks to one running server over real HTTP, with net/http's
// client, which shares no code with the fasthttp server.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
}

// startServer serves the service through the real server code on an
// in-memory listener (kktest.NewServer) until the test ends, when it is
// shut down and the shutdown checked.
func startServer(t *testing.T) *client {
	t.Helper()
	return serveService(t, testService(t))
}

// serveService is startServer for a service the test holds.
func serveService(t *testing.T, svc *service) *client {
	t.Helper()
	s := kktest.NewServer(t, svc.router(slog.Default()))
	hc := s.Client() // never asks for gzip: Content-Encoding is an answer to check too
	hc.Timeout = 10 * time.Second
	// Redirects are answers to check, not to follow.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &client{t: t, base: s.URL, hc: hc}
}

// opt adds to a request: a header, a body.
type opt func(*http.Request)

// header sets a request header.
func header(key, value string) opt {
	return func(r *http.Request) { r.Header.Set(key, value) }
}

// rawBody sends s as the request body with Content-Type ctype (none if "").
func rawBody(ctype, s string) opt {
	return func(r *http.Request) {
		r.Body, r.ContentLength = io.NopCloser(strings.NewReader(s)), int64(len(s))
		if ctype != "" {
			r.Header.Set("Content-Type", ctype)
		}
	}
}

// jsonBody sends s as an application/json body.
func jsonBody(s string) opt { return rawBody("application/json", s) }

// testToken is the bearer token of the tests' services.
const testToken = "test-token"

// testService builds a service of the test's own, as main does: an empty
// store, an in-process bus closed when the test ends, and the debug
// routes on. Tests share nothing, so they run in parallel.
func testService(t testing.TB) *service {
	t.Helper()
	b := bus.New()
	t.Cleanup(func() { b.Close() })
	svc := newService(deps{Store: NewStore(), Bus: b, Token: testToken, Debug: true, Process: "test"})
	if err := svc.consume(b); err != nil {
		t.Fatal(err)
	}
	return svc
}

// testRouter is the router of a testService, logging to slog's default.
func testRouter(t testing.TB) *kk.Router { return testService(t).router(slog.Default()) }

// auth carries the API token that writes need.
var auth = header("Authorization", "Bearer "+testToken)

// do sends a request and returns the response, its body read and closed.
func (c *client) do(method, path string, opts ...opt) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, o := range opts {
		o(req)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp, string(body)
}

// want sends a request and checks its status and content type (none
// expected when ctype is ""), returning the response and body.
func (c *client) want(method, path string, status int, ctype string, opts ...opt) (*http.Response, string) {
	c.t.Helper()
	resp, body := c.do(method, path, opts...)
	if resp.StatusCode != status {
		c.t.Fatalf("%s %s: status %d, want %d; body: %s", method, path, resp.StatusCode, status, body)
	}
	if got := resp.Header.Get("Content-Type"); got != ctype {
		c.t.Errorf("%s %s: Content-Type %q, want %q", method, path, got, ctype)
	}
	return resp, body
}

// wantJSON is want for a JSON answer, decoded into a T.
func wantJSON[T any](c *client, method, path string, status int, opts ...opt) T {
	c.t.Helper()
	_, body := c.want(method, path, status, "application/json", opts...)
	return decode[T](c, method, path, body)
}

func decode[T any](c *client, method, path, body string) T {
	c.t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		c.t.Fatalf("%s %s: decoding %q: %v", method, path, body, err)
	}
	return v
}

// problem is kk's default error body, application/problem+json.
type problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail"`
	Errors []fieldError `json:"errors"`
}

// fieldError is one entry of a 422's "errors".
type fieldError struct {
	Field   string `json:"field"`
	In      string `json:"in"`
	Message string `json:"message"`
}

// wantProblem checks a default error answer: status, content type, and a
// detail containing detail. A 5xx must carry no detail at all.
func (c *client) wantProblem(method, path string, status int, detail string, opts ...opt) problem {
	c.t.Helper()
	_, body := c.want(method, path, status, "application/problem+json", opts...)
	p := decode[problem](c, method, path, body)
	if p.Status != status || p.Title != http.StatusText(status) {
		c.t.Errorf("%s %s: problem %+v, want status %d and title %q", method, path, p, status, http.StatusText(status))
	}
	if status >= 500 && p.Detail != "" || !strings.Contains(p.Detail, detail) {
		c.t.Errorf("%s %s: detail %q, want it to contain %q", method, path, p.Detail, detail)
	}
	return p
}

// wantFields checks a 422 whose "errors" are exactly want, in order.
func (c *client) wantFields(method, path string, want []fieldError, opts ...opt) {
	c.t.Helper()
	p := c.wantProblem(method, path, http.StatusUnprocessableEntity, "", opts...)
	if !slices.Equal(p.Errors, want) {
		c.t.Errorf("%s %s: errors\n got %+v\nwant %+v", method, path, p.Errors, want)
	}
}

var seq atomic.Int64

// uniqueHandle is a user name no other test (or -count run) uses: the
// store is one per process.
func uniqueHandle(base string) string { return fmt.Sprintf("%s-%d", base, seq.Add(1)) }

// newUser creates a user called name (made unique) through the API.
func newUser(c *client, name string) User {
	c.t.Helper()
	name = uniqueHandle(name)
	return wantJSON[User](c, "POST", "/api/v1/users", http.StatusCreated, auth,
		jsonBody(fmt.Sprintf(`{"name":%q,"email":"%s@example.com"}`, name, name)))
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
