package clientapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kommandkit/kk/golden/gen/clientapi/client"
	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

const token = "s3cret"

// serve runs the service on a loopback port until the test ends and
// returns its base URL.
func serve(t *testing.T) string {
	t.Helper()
	srv := &kk.Server{Router: NewRouter(NewItems(token)), MaxBodySize: 64 << 10, ShutdownTimeout: 5 * time.Second}
	return kktest.StartTCP(t, srv).URL
}

// newClient is a client of a fresh server, with the bearer token, and
// the server's URL.
func newClient(t *testing.T, opts ...client.Option) (*client.Client, string) {
	t.Helper()
	base := serve(t)
	return client.New(base, append([]client.Option{client.WithHTTPClient(httpClient(t)), client.WithBearerToken(token)}, opts...)...), base
}

// httpClient has a transport of its own, whose idle connections close
// when the test ends (so the server's shutdown waits for none).
func httpClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// wantError checks that err is a *client.Error with status and a detail
// containing detail.
func wantError(t *testing.T, err error, status int, detail string) *client.Error {
	t.Helper()
	var e *client.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v (%T), want a *client.Error with status %d", err, err, status)
	}
	if e.Status != status || !strings.Contains(e.Detail, detail) || e.Title != http.StatusText(status) {
		t.Fatalf("got %d %q %q, want %d %q with a detail containing %q", e.Status, e.Title, e.Detail, status, http.StatusText(status), detail)
	}
	return e
}

// TestClientDependencies: the generated client imports neither fasthttp
// nor any package of kk: a program calling the API does not inherit the
// server's dependencies.
func TestClientDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "./client").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps ./client: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps listed only %q", deps)
	}
	for _, d := range deps {
		if strings.Contains(d, "fasthttp") || strings.HasPrefix(d, "github.com/kommandkit/kk") && d != "github.com/kommandkit/kk/golden/gen/clientapi/client" {
			t.Errorf("the client depends on %s", d)
		}
		if first, _, _ := strings.Cut(d, "/"); strings.Contains(first, ".") && !strings.HasPrefix(d, "github.com/kommandkit/kk/") {
			t.Errorf("the client depends on %s, outside the standard library", d)
		}
	}
}

// TestItems round-trips JSON bodies and results, a method handler's group
// and kk.Response, and the 401, 404, 410 and 422 answers as *client.Error.
func TestItems(t *testing.T) {
	c, base := newClient(t)
	ctx := context.Background()
	it, err := c.Items.Create(ctx, client.NewItem{Name: "lamp", Color: client.Red, Tags: []string{"home"}})
	if err != nil {
		t.Fatal(err)
	}
	want := client.Item{ID: 1, Name: "lamp", Color: client.Red, Tags: []string{"home"}, Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		TTL: time.Minute, Owner: client.Owner{Name: "ann", Addr: netip.MustParseAddr("127.0.0.1")}}
	want.Dims.W, want.Dims.H = 2, 3
	if !reflect.DeepEqual(it, want) {
		t.Fatalf("Create = %+v, want %+v", it, want)
	}
	got, err := c.Items.Get(ctx, it.ID)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Get = %+v, %v; want %+v", got, err, want)
	}
	if _, err := c.Items.Create(ctx, client.NewItem{Name: "chair"}); err != nil {
		t.Fatal(err)
	}
	tag := "home"
	list, err := c.Items.List(ctx, &tag, 0)
	if err != nil || len(list) != 1 || list[0].Name != "lamp" {
		t.Fatalf("List(home) = %+v, %v", list, err)
	}
	if list, err = c.Items.List(ctx, nil, 5); err != nil || len(list) != 2 {
		t.Fatalf("List = %+v, %v", list, err)
	}

	_, err = c.Items.Get(ctx, 7)
	wantError(t, err, 404, "no item 7")
	_, err = c.Items.Get(ctx, 99)
	wantError(t, err, 410, "item gone")
	_, err = c.Items.Create(ctx, client.NewItem{})
	e := wantError(t, err, 422, "must not be empty")
	if want := []client.FieldError{{Field: "name", In: "body", Message: "must not be empty"}}; !reflect.DeepEqual(e.Errors, want) {
		t.Errorf("field errors %+v, want %+v", e.Errors, want)
	}
	anon := client.New(base+"/", client.WithHTTPClient(httpClient(t)))
	_, err = anon.Items.Create(ctx, client.NewItem{Name: "x"})
	if e := wantError(t, err, 401, "bearer token"); e.Header.Get("WWW-Authenticate") != "Bearer" {
		t.Errorf("401 without WWW-Authenticate: %v", e.Header)
	}
	if err := c.Items.Delete(ctx, 1); err != nil {
		t.Fatal(err)
	}
	wantError(t, c.Items.Delete(ctx, 1), 404, "no item 1")
}

// TestPathParams sends path parameters of every kind, with values that
// need escaping, and a catch-all of several segments.
func TestPathParams(t *testing.T) {
	c, _ := newClient(t)
	at := time.Date(2026, 12, 8, 1, 2, 3, 456789000, time.FixedZone("", 5*3600+1800))
	addr := netip.MustParseAddr("fe80::1")
	for _, tc := range []struct{ s, rest string }{
		{"plain", "a/b.txt"},
		{"b c?d#e%f&g=h+i", "dir with space/..%2F/ü.txt"},
		{"...", "x/.../y"},
		{"café", "x"},
	} {
		got, err := c.Params(context.Background(), -42, 255, 1.5, true, tc.s, addr, 1500*time.Millisecond, at, tc.rest)
		if err != nil {
			t.Fatalf("Params(%q, %q): %v", tc.s, tc.rest, err)
		}
		want := fmt.Sprintf("i=-42 u=255 f=1.5 b=true s=%q addr=fe80::1 d=1.5s t=%s rest=%q", tc.s, at.Format(time.RFC3339Nano), tc.rest)
		if got != want {
			t.Errorf("Params(%q, %q)\n got %s\nwant %s", tc.s, tc.rest, got, want)
		}
	}
	for s, want := range map[string]string{"": "path parameter s is empty", "a/b": "path parameter s contains a slash", "..": "path parameter s is a dot segment"} {
		if _, err := c.Params(context.Background(), 1, 1, 1, true, s, addr, 0, at, "x"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("path parameter %q: got %v, want an error before sending: %s", s, err, want)
		}
	}
}

// TestQueryAndInputs sends query parameters (a nil pointer left out, a
// slice repeated), an input struct's path, query, header and cookie
// fields (a field with a default left out when zero), and a form.
func TestQueryAndInputs(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	got, err := c.Query(ctx, nil, []client.ItemID{3, 1}, true, at, 90*time.Second, client.Green)
	if want := "n=nil ids=[3 1] on=true at=2026-01-02T03:04:05Z wait=1m30s color=green"; err != nil || got != want {
		t.Errorf("Query = %q, %v; want %q", got, err, want)
	}
	n := 0
	if got, err = c.Query(ctx, &n, nil, false, at, 0, ""); err != nil || !strings.HasPrefix(got, "n=0 ids=[] on=false") {
		t.Errorf("Query(&0) = %q, %v", got, err)
	}

	since := at.Add(time.Nanosecond)
	found, err := c.Find(ctx, client.Search{Shelf: "top shelf", Q: "a&b=c", Colors: []client.Color{client.Red, client.Green}, Since: &since, Lang: "fr", Token: "t0k"})
	want := client.Found{Shelf: "top shelf", Q: "a&b=c", Limit: 10, Colors: []client.Color{client.Red, client.Green}, Since: since.Format(time.RFC3339Nano), Lang: "fr", Token: "t0k"}
	if err != nil || !reflect.DeepEqual(found, want) {
		t.Errorf("Find = %+v, %v; want %+v", found, err, want)
	}
	found, err = c.Find(ctx, client.Search{Shelf: "s", Limit: 3})
	if err != nil || found.Limit != 3 || found.Since != "" || found.Colors != nil {
		t.Errorf("Find(limit 3) = %+v, %v", found, err)
	}

	form, err := c.Form(ctx, client.Signup{Name: "Zoë & co", Age: 30, Tags: []string{"a", "b"}})
	if want := "name=Zoë & co age=30 tags=a,b"; err != nil || form != want {
		t.Errorf("Form = %q, %v; want %q", form, err, want)
	}
}

// TestBodies sends a raw body and a streamed one (of unknown length), and
// reads a streamed result; a stream over the route's limit is a 413.
func TestBodies(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()
	raw, err := c.Raw(ctx, []byte("abc\x00\xff"))
	if err != nil || !bytes.Equal(raw, []byte("\xff\x00cba")) {
		t.Errorf("Raw = %q, %v", raw, err)
	}
	n, err := c.Upload(ctx, struct{ io.Reader }{io.LimitReader(zeros{}, 300<<10)})
	if err != nil || n != "307200" {
		t.Errorf("Upload(300 KiB) = %q, %v", n, err)
	}
	_, err = c.Upload(ctx, struct{ io.Reader }{io.LimitReader(zeros{}, 2<<20)})
	wantError(t, err, 413, "")

	body, err := c.Download(ctx, 3<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	m, err := io.Copy(io.Discard, body)
	if err != nil || m != 3<<20 {
		t.Errorf("Download read %d bytes, %v; want %d", m, err, 3<<20)
	}
}

// TestErrors: each kind of error answer is a *client.Error with the
// problem body; a 5xx carries no detail (the server keeps its message).
func TestErrors(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()
	if err := c.Fail(ctx, "none"); err != nil {
		t.Errorf("Fail(none) = %v", err)
	}
	wantError(t, c.Fail(ctx, "conflict"), 409, "already there")
	wantError(t, c.Fail(ctx, "gone"), 410, "wrapped: item gone")
	for _, kind := range []string{"internal", "panic"} {
		e := wantError(t, c.Fail(ctx, kind), 500, "")
		if e.Detail != "" || strings.Contains(e.Error(), "hunter2") {
			t.Errorf("Fail(%s) leaked %q", kind, e.Detail)
		}
	}
	var e *client.Error
	if err := c.Fail(ctx, "conflict"); !errors.As(err, &e) || err.Error() != "409 Conflict: already there" {
		t.Errorf("Error() = %q", err)
	}
	// A client sends only what its types allow, so a 400 takes a request
	// editor that spoils the query.
	spoil := client.WithRequestEditor(func(_ context.Context, req *http.Request) error {
		req.URL.RawQuery = "limit=many"
		return nil
	})
	bad, _ := newClient(t, spoil)
	_, err := bad.Items.List(ctx, nil, 1)
	wantError(t, err, 400, "limit")
	stop := client.WithRequestEditor(func(context.Context, *http.Request) error { return errors.New("no network today") })
	refused, _ := newClient(t, stop)
	if _, err := refused.Items.List(ctx, nil, 1); err == nil || err.Error() != "no network today" {
		t.Errorf("an editor's error: got %v", err)
	}
}

// TestRetries: a 503 with Retry-After is retried when the client asks for
// retries, as many times as it allows, and returned otherwise.
func TestRetries(t *testing.T) {
	ctx := context.Background()
	plain, _ := newClient(t)
	_, err := plain.Items.Flaky(ctx, "a", 1)
	if e := wantError(t, err, 503, ""); e.Header.Get("Retry-After") != "0" {
		t.Errorf("Retry-After %q", e.Header.Get("Retry-After"))
	}
	retrying, _ := newClient(t, client.WithRetries(3, time.Hour)) // Retry-After: 0 wins over the hour
	got, err := retrying.Items.Flaky(ctx, "b", 3)
	if err != nil || got != "4" {
		t.Errorf("Flaky with 3 retries = %q, %v; want 4", got, err)
	}
	_, err = retrying.Items.Flaky(ctx, "c", 4)
	wantError(t, err, 503, "")
}

// TestEvents reads an event stream that the server ends after every two
// events: the client reconnects with Last-Event-ID and resumes. An error
// answer (here 401) is yielded once and ends the iteration.
func TestEvents(t *testing.T) {
	c, base := newClient(t)
	var ids []string
	sum := 0
	for ev, err := range c.Items.Ticks(context.Background(), 2) {
		if err != nil {
			t.Fatal(err)
		}
		var v struct{ N int }
		if err := ev.JSON(&v); err != nil {
			t.Fatal(err)
		}
		if ev.Event != "tick" || ev.Retry != time.Millisecond {
			t.Errorf("event %+v", ev)
		}
		if ids, sum = append(ids, ev.ID), sum+v.N; len(ids) == 5 {
			break
		}
	}
	if strings.Join(ids, ",") != "1,2,3,4,5" || sum != 15 {
		t.Errorf("ids %v (sum %d), want 1..5", ids, sum)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for _, err := range c.Items.Ticks(ctx, 1) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			cancel() // ends the iteration, without an error
		}
	}
	if n != 3 {
		t.Errorf("after cancelling, %d events, want 3", n)
	}

	anon := client.New(base, client.WithHTTPClient(httpClient(t)))
	var errs []error
	for _, err := range anon.Items.Ticks(context.Background(), 1) {
		errs = append(errs, err)
	}
	if len(errs) != 1 {
		t.Fatalf("without the token: %v, want one error", errs)
	}
	wantError(t, errs[0], 401, "bearer token")
}

// TestWebSocket dials a WebSocket route with its path and query
// parameters and exchanges text, binary and JSON messages; the server's
// close code comes back as a *client.CloseError.
func TestWebSocket(t *testing.T) {
	c, _ := newClient(t)
	ws, err := c.Echo(context.Background(), "the lobby", "ann")
	if err != nil {
		t.Fatal(err)
	}
	var hello map[string]string
	if err := ws.ReadJSON(&hello); err != nil || hello["room"] != "the lobby" || hello["name"] != "ann" {
		t.Fatalf("hello %v, %v", hello, err)
	}
	if err := ws.WriteText("hi"); err != nil {
		t.Fatal(err)
	}
	if s, err := ws.ReadText(); err != nil || s != "HI" {
		t.Errorf("ReadText = %q, %v", s, err)
	}
	big := bytes.Repeat([]byte("ab"), 20000) // over 125 and 65535 bytes' framing, under the server's limit
	if err := ws.WriteMessage(client.BinaryMessage, big); err != nil {
		t.Fatal(err)
	}
	kind, msg, err := ws.ReadMessage()
	if err != nil || kind != client.BinaryMessage || !bytes.Equal(msg, bytes.ToUpper(big)) {
		t.Errorf("ReadMessage = %d, %d bytes, %v", kind, len(msg), err)
	}
	if err := ws.WriteJSON("json"); err != nil {
		t.Fatal(err)
	}
	if s, err := ws.ReadText(); err != nil || s != `"JSON"` {
		t.Errorf("after WriteJSON: %q, %v", s, err)
	}
	if err := ws.WriteText("bye"); err != nil {
		t.Fatal(err)
	}
	_, _, err = ws.ReadMessage()
	var ce *client.CloseError
	if !errors.As(err, &ce) || ce.Code != 4000 || ce.Reason != "bye" {
		t.Errorf("after bye: %v, want a CloseError 4000 bye", err)
	}
	if err := ws.WriteText("more"); !errors.Is(err, client.ErrClosed) {
		t.Errorf("a write after the close: %v, want ErrClosed", err)
	}

	ws, err = c.Echo(context.Background(), "r", "bob")
	if err != nil {
		t.Fatal(err)
	}
	ws.ReadText() // the hello
	if err := ws.Close(1000, ""); err != nil {
		t.Errorf("Close: %v", err)
	}
}
