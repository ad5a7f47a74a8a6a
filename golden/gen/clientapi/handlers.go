// Package clientapi is a service whose Go and TypeScript clients kkgen
// writes (client/ and client.ts): every kind of parameter, body, result,
// stream and error a client sends and receives, through func and method
// handlers.
package clientapi

//go:generate go run github.com/kommandkit/kk/cmd/kkgen -client client -ts client.ts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// ItemID identifies an item.
type ItemID uint32

// Color is a color an item may have.
type Color string

// The colors.
const (
	Red   Color = "red"
	Green Color = "green" // the default
)

// Item is a thing the service keeps.
type Item struct {
	ID      ItemID             `json:"id"`
	Name    string             `json:"name"`
	Color   Color              `json:"color,omitempty"`
	Tags    []string           `json:"tags"`
	Price   *float64           `json:"price"` // nil when unknown
	Attrs   map[string]int     `json:"attrs,omitempty"`
	Created time.Time          `json:"created"`
	TTL     time.Duration      `json:"ttl"`
	Owner   Owner              `json:"owner"`
	Meta    map[string]any     `json:"meta,omitempty"`
	secret  string             //nolint:unused // not part of the API
	Dims    struct{ W, H int } `json:"dims"`
}

// Owner is who made an item.
type Owner struct {
	Name string     `json:"name"`
	Addr netip.Addr `json:"addr"`
}

// NewItem is the JSON body that creates an item.
type NewItem struct {
	Name  string   `json:"name"`
	Color Color    `json:"color,omitempty"`
	Tags  []string `json:"tags,omitempty"`
}

// Validate refuses an empty name, with a field error.
func (n NewItem) Validate() error {
	if n.Name == "" {
		return kk.FieldErrors{{Field: "name", In: "body", Message: "must not be empty"}}
	}
	return nil
}

// Search is a query: an input struct of path, query, header and cookie
// fields.
type Search struct {
	Shelf  string     `path:"shelf"`
	Q      string     `query:"q"`
	Limit  int        `query:"limit" default:"10"`
	Colors []Color    `query:"color"`
	Since  *time.Time `query:"since"`
	Lang   string     `header:"Accept-Language"`
	Token  string     `cookie:"token"`
}

// Found is what a search finds: the request as the server read it.
type Found struct {
	Shelf  string  `json:"shelf"`
	Q      string  `json:"q"`
	Limit  int     `json:"limit"`
	Colors []Color `json:"colors"`
	Since  string  `json:"since"`
	Lang   string  `json:"lang"`
	Token  string  `json:"token"`
}

// ErrGone is an item that was deleted.
//
//kk:error 410
var ErrGone = errors.New("item gone")

// Items keeps items in memory.
type Items struct {
	mu    sync.Mutex
	items map[ItemID]Item
	next  ItemID
	flaky map[string]int
	Token string // the bearer token writes need
}

// NewItems is an empty store whose writes need token.
func NewItems(token string) *Items { return &Items{items: map[ItemID]Item{}, Token: token} }

// Auth lets a request through only with the store's bearer token.
func (s *Items) Auth(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		if string(c.Request.Header.Peek("Authorization")) != "Bearer "+s.Token {
			c.Response.Header.Set("WWW-Authenticate", "Bearer")
			return kk.Error(401, "a bearer token is required")
		}
		return next(c)
	}
}

// Create adds an item.
//
//kk:route POST /items 201
//kk:use Items.Auth
func (s *Items) Create(ctx context.Context, in NewItem) (Item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	it := Item{ID: s.next, Name: in.Name, Color: in.Color, Tags: in.Tags, Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), TTL: time.Minute,
		Owner: Owner{Name: "ann", Addr: netip.MustParseAddr("127.0.0.1")}}
	it.Dims.W, it.Dims.H = 2, 3
	it.secret = "the client never sees this"
	if it.Tags == nil {
		it.Tags = []string{}
	}
	s.items[it.ID] = it
	return it, nil
}

// Get is one item: 404 when there is none, 410 for item 99.
//
//kk:route GET /items/:id
func (s *Items) Get(id ItemID) (Item, error) {
	if id == 99 {
		return Item{}, ErrGone
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[id]
	if !ok {
		return Item{}, kk.Error(404, fmt.Sprintf("no item %d", id))
	}
	return it, nil
}

// List is the items with a tag, at most limit of them.
//
//kk:route GET /items
func (s *Items) List(tag *string, limit int) (kk.Response[[]Item], error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Item{}
	for id := ItemID(1); id <= s.next; id++ {
		it, ok := s.items[id]
		if ok && (tag == nil || contains(it.Tags, *tag)) && (limit == 0 || len(out) < limit) {
			out = append(out, it)
		}
	}
	return kk.Response[[]Item]{Header: map[string]string{"X-Total": strconv.Itoa(len(out))}, Body: out}, nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Delete removes an item.
//
//kk:route DELETE /items/:id
//kk:use Items.Auth
func (s *Items) Delete(id ItemID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.items[id]; !ok {
		return kk.Error(404, fmt.Sprintf("no item %d", id))
	}
	delete(s.items, id)
	return nil
}

// Find echoes a search as the server bound it.
//
//kk:route GET /shelves/:shelf/find
func Find(in Search) Found {
	f := Found{Shelf: in.Shelf, Q: in.Q, Limit: in.Limit, Colors: in.Colors, Lang: in.Lang, Token: in.Token}
	if in.Since != nil {
		f.Since = in.Since.Format(time.RFC3339Nano)
	}
	return f
}

// Params echoes path parameters of many types, a catch-all among them.
//
//kk:route GET /params/:i/:u/:f/:b/:s/:addr/:d/:t/*rest
func Params(i int64, u uint8, f float32, b bool, s string, addr netip.Addr, d time.Duration, t time.Time, rest string) string {
	return fmt.Sprintf("i=%d u=%d f=%g b=%t s=%q addr=%s d=%s t=%s rest=%q", i, u, f, b, s, addr, d, t.Format(time.RFC3339Nano), rest)
}

// Query echoes query parameters, a header and a cookie.
//
//kk:route GET /query
func Query(n *int, ids []ItemID, on bool, at time.Time, wait time.Duration, color Color) string {
	ns := "nil"
	if n != nil {
		ns = strconv.Itoa(*n)
	}
	return fmt.Sprintf("n=%s ids=%v on=%t at=%s wait=%s color=%s", ns, ids, on, at.Format(time.RFC3339), wait, color)
}

// Signup is a urlencoded form.
type Signup struct {
	Name string   `form:"name"`
	Age  int      `form:"age"`
	Tags []string `form:"tag"`
}

// Form takes a urlencoded form.
//
//kk:route POST /form
func Form(in Signup) string {
	return fmt.Sprintf("name=%s age=%d tags=%s", in.Name, in.Age, strings.Join(in.Tags, ","))
}

// Raw echoes a raw body, reversed.
//
//kk:route PUT /raw
func Raw(body []byte) []byte {
	out := make([]byte, len(body))
	for i, b := range body {
		out[len(body)-1-i] = b
	}
	return out
}

// Upload counts the bytes of a streamed body.
//
//kk:route POST /upload
//kk:bodylimit 1MiB
func Upload(body io.Reader) (string, error) {
	n, err := io.Copy(io.Discard, body)
	return strconv.FormatInt(n, 10), err
}

// Download streams n bytes.
//
//kk:route GET /download/:n
func Download(n int64) io.Reader { return io.LimitReader(zeros{}, n) }

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'z'
	}
	return len(p), nil
}

// Fail answers errors of each kind by name.
//
//kk:route GET /fail/:kind
func Fail(kind string) error {
	switch kind {
	case "conflict":
		return kk.Error(409, "already there")
	case "internal":
		return errors.New("database password is hunter2")
	case "panic":
		panic("boom")
	case "gone":
		return fmt.Errorf("wrapped: %w", ErrGone)
	}
	return nil
}

// Flaky answers 503 with Retry-After: 0 until it was asked `times` times
// for key, then 200 with the count.
//
//kk:route GET /flaky/:key/:times
func (s *Items) Flaky(c *kk.Ctx, key string, times int) (string, error) {
	s.mu.Lock()
	if s.flaky == nil {
		s.flaky = map[string]int{}
	}
	s.flaky[key]++
	n := s.flaky[key]
	s.mu.Unlock()
	if n <= times {
		c.Response.Header.Set("Retry-After", "0")
		return "", kk.Error(503, "try again")
	}
	return strconv.Itoa(n), nil
}

// Ticks sends count events numbered after Last-Event-ID, then ends the
// stream, which the client reconnects to and resumes. It needs the bearer
// token.
//
//kk:route GET /ticks
//kk:use Items.Auth
func (s *Items) Ticks(ctx context.Context, es *kk.EventStream, count int) error {
	from, _ := strconv.Atoi(es.LastEventID())
	for i := from + 1; i <= from+count; i++ {
		if err := es.Send(kk.Event{ID: strconv.Itoa(i), Event: "tick", Data: fmt.Sprintf(`{"n":%d}`, i), Retry: time.Millisecond}); err != nil {
			return err
		}
	}
	return nil
}

// Echo answers each message on a WebSocket with its upper-case text, and
// closes with 4000 on "bye".
//
//kk:route GET /rooms/:room/ws
func Echo(ctx context.Context, room string, name string, ws *kk.WebSocket) error {
	if err := ws.WriteJSON(map[string]string{"room": room, "name": name}); err != nil {
		return err
	}
	for {
		kind, msg, err := ws.ReadMessage()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if string(msg) == "bye" {
			return &kk.CloseError{Code: 4000, Reason: "bye"}
		}
		if err := ws.WriteMessage(kind, []byte(strings.ToUpper(string(msg)))); err != nil {
			return err
		}
	}
}
