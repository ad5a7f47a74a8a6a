package bus

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

type point struct {
	X, Y  int
	Label string  `json:"label,omitempty"`
	Scale float64 `json:"scale"`
	Inner struct {
		On bool
		N  uint16 `json:",string"`
	}
}

type hidden struct {
	Shown  string
	secret string
	Gone   string `json:"-"`
}

type stamped struct{ At time.Time }

type embedded struct {
	point
	Z int
}

func TestFlatTypes(t *testing.T) {
	for _, c := range []struct {
		v    any
		flat bool
	}{
		{1, true}, {"s", true}, {3.5, true}, {true, true}, {point{}, true},
		{hidden{}, false}, {stamped{}, false}, {embedded{}, false},
		{[]int{1}, false}, {map[string]int{}, false}, {&point{}, false}, {[2]int{}, false},
		{struct {
			A int `json:"B"`
			B int
		}{}, false},
	} {
		if got := flat(reflect.TypeOf(c.v)) != nil; got != c.flat {
			t.Errorf("flat(%T) = %v, want %v", c.v, got, c.flat)
		}
	}
}

// prepare skips JSON for a flat value that survives it, and only then.
func TestPrepareSkipsJSONOnlyWhenSafe(t *testing.T) {
	b := New()
	defer b.Close()
	for _, c := range []struct {
		v     any
		skip  bool // JSON skipped
		fails bool // JSON cannot encode it
	}{
		{v: point{Label: "ok"}, skip: true},
		{v: point{Label: "bad\xff"}},
		{v: point{Scale: math.NaN()}, fails: true},
		{v: "text", skip: true},
		{v: hidden{}},
		{v: map[string]any{"a": 1}},
	} {
		m, err := b.prepare("s", c.v)
		switch {
		case (err != nil) != c.fails:
			t.Errorf("prepare(%#v) = %v, want failure %v", c.v, err, c.fails)
		case err == nil && (m.data == nil) != c.skip:
			t.Errorf("prepare(%#v): JSON skipped = %v, want %v", c.v, m.data == nil, c.skip)
		}
	}
}

// A flat value skips JSON in process; these cases show the consumer sees
// exactly what it would after JSON, on both transports.
func TestFlatValuesMatchJSON(t *testing.T) {
	eachTransport(t, func(t *testing.T, open func(...Option) *Bus) {
		b := open()
		points := make(chan point, 10)
		maps := make(chan map[string]any, 10)
		hiddens := make(chan hidden, 10)
		strs := make(chan string, 10)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(Consume(b, "pt", func(_ context.Context, p point) error { points <- p; return nil }))
		must(Consume(b, "pt", func(_ context.Context, m map[string]any) error { maps <- m; return nil }))
		must(Consume(b, "hidden", func(_ context.Context, h hidden) error { hiddens <- h; return nil }))
		must(Consume(b, "str", func(_ context.Context, s string) error { strs <- s; return nil }))
		must(Reply(b, "double", func(_ context.Context, p point) (point, error) { p.X *= 2; return p, nil }))
		ctx := ctxTimeout(t, 5*time.Second)

		in := point{X: 1, Y: -2, Label: "a\xffb", Scale: 0.1}
		in.Inner.On, in.Inner.N = true, 7
		must(b.Publish(ctx, "pt", in))
		got := <-points
		want := in
		want.Label = "a\uFFFDb" // as JSON leaves it
		if got != want {
			t.Errorf("flat consumer got %+v, want %+v", got, want)
		}
		if m := <-maps; m["X"] != float64(1) || m["label"] != "a\uFFFDb" {
			t.Errorf("map consumer of a flat value got %v", m)
		}

		in.Label = "fine"
		must(b.Publish(ctx, "pt", in))
		if got := <-points; got != in {
			t.Errorf("flat consumer got %+v, want %+v", got, in)
		}
		<-maps

		must(b.Send(ctx, "hidden", hidden{Shown: "s", secret: "x", Gone: "y"}))
		if h := <-hiddens; h != (hidden{Shown: "s"}) {
			t.Errorf("unexported and json:\"-\" fields arrived: %+v", h)
		}

		must(b.Send(ctx, "str", "caf\xe9"))
		if s := <-strs; s != "caf\uFFFD" {
			t.Errorf("invalid UTF-8 string arrived as %q", s)
		}

		r, err := Request[point](ctx, b, "double", in)
		if err != nil || r.X != 2 || r.Label != "fine" || !r.Inner.On {
			t.Errorf("Request = %+v, %v", r, err)
		}

		// A flat reply read as another type, or as any, is what JSON gives.
		if m, err := Request[map[string]any](ctx, b, "double", in); err != nil || m["X"] != float64(2) {
			t.Errorf("Request[map] = %v, %v", m, err)
		}
		if a, err := Request[any](ctx, b, "double", in); err != nil || a.(map[string]any)["label"] != "fine" {
			t.Errorf("Request[any] = %#v, %v; want the JSON's map", a, err)
		}
		// A reply JSON cannot carry is the requester's *RemoteError.
		must(Reply(b, "badreply", func(context.Context, int) (func(), error) { return func() {}, nil }))
		var re *RemoteError
		if _, err := Request[any](ctx, b, "badreply", 1); !errors.As(err, &re) || !strings.Contains(re.Message, "encoding the reply") {
			t.Errorf("Request of an unencodable reply = %v, want a *RemoteError", err)
		}
		// A NaN reply too.
		must(Reply(b, "nan", func(context.Context, int) (float64, error) { return math.NaN(), nil }))
		if _, err := Request[float64](ctx, b, "nan", 1); !errors.As(err, &re) {
			t.Errorf("Request of a NaN reply = %v, want a *RemoteError", err)
		}

		for _, x := range []float64{math.NaN(), math.Inf(1)} {
			if err := b.Publish(ctx, "pt", point{Scale: x}); err == nil {
				t.Errorf("Publish of Scale=%v succeeded; JSON cannot carry it", x)
			}
			if err := b.Send(ctx, "str", x); err == nil {
				t.Errorf("Send of %v succeeded; JSON cannot carry it", x)
			}
		}
	})
}
