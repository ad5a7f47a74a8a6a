package receivers

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/kommandkit/kk/bus"
	"github.com/kommandkit/kk/runtime/kktest"
)

// memStore is a Store of its own per test.
type memStore struct {
	mu    sync.Mutex
	todos []Todo
}

func (s *memStore) Get(id int64) (Todo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.todos {
		if t.ID == id {
			return t, true
		}
	}
	return Todo{}, false
}

func (s *memStore) Add(title string) Todo {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := Todo{ID: int64(len(s.todos) + 1), Title: title}
	s.todos = append(s.todos, t)
	return t
}

func newStore(titles ...string) *memStore {
	s := &memStore{}
	for _, t := range titles {
		s.Add(t)
	}
	return s
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRoutersAreIndependent builds routers from the same package with
// different receivers, in parallel, and checks each serves its own.
func TestRoutersAreIndependent(t *testing.T) {
	for i := range 8 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			title := fmt.Sprintf("todo of router %d", i)
			key := fmt.Sprintf("key-%d", i)
			r := NewRouter(&APIKeys{Keys: map[string]bool{key: true}}, Clock{Now: fmt.Sprint(i)}, &Todos{Store: newStore(title)})
			srv := kktest.NewServer(t, r)
			c := srv.Client()

			resp, err := c.Get(srv.URL + "/todos/1")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := body(t, resp), fmt.Sprintf(`{"id":1,"title":%q}`, title); resp.StatusCode != 200 || got != want {
				t.Fatalf("GET /todos/1 = %d %s, want 200 %s", resp.StatusCode, got, want)
			}
			resp, err = c.Get(srv.URL + "/time")
			if err != nil {
				t.Fatal(err)
			}
			if got := body(t, resp); got != fmt.Sprint(i) {
				t.Fatalf("GET /time = %q, want %q (the Clock given to this router)", got, fmt.Sprint(i))
			}
			// The method middleware checks this router's keys only.
			for _, k := range []string{key, fmt.Sprintf("key-%d", i+100)} {
				req, _ := http.NewRequest("POST", srv.URL+"/todos", strings.NewReader(`{"title":"second"}`))
				req.Header.Set("X-Key", k)
				req.Header.Set("Content-Type", "application/json")
				resp, err = c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				got := body(t, resp)
				switch {
				case k == key && (resp.StatusCode != 201 || got != `{"id":2,"title":"second"}`):
					t.Fatalf("POST /todos with this router's key = %d %s, want 201", resp.StatusCode, got)
				case k != key && resp.StatusCode != 401:
					t.Fatalf("POST /todos with another key = %d %s, want 401", resp.StatusCode, got)
				}
			}
		})
	}
}

// TestMethodErrorHandler checks that //kk:errorhandler on a method answers
// the router's 404s, including the one a //kk:error mapping gives.
func TestMethodErrorHandler(t *testing.T) {
	t.Parallel()
	r := NewRouter(&APIKeys{}, Clock{}, &Todos{Store: newStore()})
	resp := kktest.Do(r, "GET", "/todos/9")
	if resp.StatusCode() != 404 || string(resp.Body()) != "not found: no such todo" {
		t.Fatalf("GET /todos/9 = %d %q, want 404 from Todos.NotFound", resp.StatusCode(), resp.Body())
	}
	resp = kktest.Do(r, "GET", "/version")
	if resp.StatusCode() != 200 || string(resp.Body()) != "1" {
		t.Fatalf("GET /version = %d %q", resp.StatusCode(), resp.Body())
	}
}

// TestMethodStreams checks a method's event stream and WebSocket route.
func TestMethodStreams(t *testing.T) {
	t.Parallel()
	srv := kktest.NewServer(t, NewRouter(&APIKeys{}, Clock{}, &Todos{Store: newStore("streamed")}))
	resp, err := srv.Client().Get(srv.URL + "/todos/1/events")
	if err != nil {
		t.Fatal(err)
	}
	if got := body(t, resp); got != "data: streamed\n\n" {
		t.Fatalf("GET /todos/1/events = %q", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, err := srv.DialWebSocket(ctx, "/todos/1/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close(1000, "")
	if got, err := ws.ReadText(); err != nil || got != "streamed" {
		t.Fatalf("ReadText = %q, %v", got, err)
	}
}

// TestNilReceiverPanics checks that NewRouter and RegisterConsumers refuse
// a nil pointer at once, naming the parameter.
func TestNilReceiverPanics(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, want string
		call       func()
	}{
		{"NewRouter todos", "kk: NewRouter: todos (*Todos) is nil", func() { NewRouter(&APIKeys{}, Clock{}, nil) }},
		{"NewRouter apiKeys", "kk: NewRouter: apiKeys (*APIKeys) is nil", func() { NewRouter(nil, Clock{}, &Todos{}) }},
		{"RegisterConsumers", "kk: RegisterConsumers: todos (*Todos) is nil", func() { RegisterConsumers(bus.New(), Clock{}, nil) }},
	} {
		func() {
			defer func() {
				if got := recover(); got != tc.want {
					t.Errorf("%s: recovered %v, want %q", tc.name, got, tc.want)
				}
			}()
			tc.call()
		}()
	}
}

// TestMethodConsumers checks consumer methods on the values given, two
// buses with two receivers at once.
func TestMethodConsumers(t *testing.T) {
	for i := range 2 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			b := bus.New()
			defer b.Close()
			todos := &Todos{}
			if err := RegisterConsumers(b, Clock{Now: fmt.Sprint("t", i)}, todos); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			now, err := bus.Request[string](ctx, b, "clock.now", struct{}{})
			if err != nil || now != fmt.Sprint("t", i) {
				t.Fatalf("clock.now = %q, %v; want %q", now, err, fmt.Sprint("t", i))
			}
			if err := b.Send(ctx, "greetings", fmt.Sprint("ann", i)); err != nil {
				t.Fatal(err)
			}
			if err := b.Close(); err != nil { // delivers what was accepted
				t.Fatal(err)
			}
			todos.mu.Lock()
			defer todos.mu.Unlock()
			if len(todos.Greeted) != 1 || todos.Greeted[0] != fmt.Sprint("ann", i) {
				t.Fatalf("Greeted = %q, want [ann%d]", todos.Greeted, i)
			}
		})
	}
}

// TestMethodRouteAllocs checks that method routes, closures built once in
// NewRouter, keep the warm path free of allocations: a value receiver with
// a text result, and a pointer receiver behind a method middleware with a
// decoded path parameter.
func TestMethodRouteAllocs(t *testing.T) {
	h := NewRouter(&APIKeys{Keys: map[string]bool{"k": true}}, Clock{Now: "noon"}, &Todos{Store: newStore("a")}).Handler()
	for _, tc := range []struct{ uri, want string }{{"/time", "noon"}, {"/admin/count/3", "1"}} {
		var rc fasthttp.RequestCtx
		rc.Request.Header.SetMethod("GET")
		rc.Request.Header.Set("X-Key", "k")
		rc.Request.SetRequestURI(tc.uri)
		serve := func() {
			rc.Response.Reset()
			h(&rc)
		}
		serve()
		if rc.Response.StatusCode() != 200 || string(rc.Response.Body()) != tc.want {
			t.Fatalf("GET %s = %d %s, want 200 %s", tc.uri, rc.Response.StatusCode(), rc.Response.Body(), tc.want)
		}
		if n := testing.AllocsPerRun(100, serve); n != 0 {
			t.Errorf("GET %s: %v allocations per request, want 0", tc.uri, n)
		}
	}
}

// TestGroupMethodMiddleware checks a //kk:group use=Type.Method: the
// group's routes pass the method bound to the router's own value.
func TestGroupMethodMiddleware(t *testing.T) {
	t.Parallel()
	r := NewRouter(&APIKeys{Keys: map[string]bool{"k": true}}, Clock{}, &Todos{Store: newStore("a", "b")})
	if resp := kktest.Do(r, "GET", "/admin/count/5"); resp.StatusCode() != 401 {
		t.Errorf("GET /admin/count/5 without a key = %d, want 401", resp.StatusCode())
	}
	req := kktest.NewRequest("GET", "/admin/count/5", nil)
	req.Header.Set("X-Key", "k")
	if resp := kktest.Serve(r, req); resp.StatusCode() != 200 || string(resp.Body()) != "2" {
		t.Errorf("GET /admin/count/5 with the key = %d %q, want 200 2", resp.StatusCode(), resp.Body())
	}
}
