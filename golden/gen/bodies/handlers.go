// Package bodies covers request bodies: JSON as a struct, a pointer to a
// struct, a slice and a map (named or not), Validate methods on value and
// pointer receivers returning plain errors or kk.FieldErrors, the raw body
// as []byte or a named []byte, the body stream as an io.Reader, and a GET
// that accepts a body because of //kk:allowbody.
package bodies

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	kk "github.com/kommandkit/kk/runtime"
)

// Point validates with a value receiver.
type Point struct {
	X int `json:"x"`
	Y int `json:"y"`
}

func (p Point) Validate() error {
	if p.X < 0 || p.Y < 0 {
		return errors.New("coordinates must not be negative")
	}
	return nil
}

// User validates with a pointer receiver and lists field errors.
type User struct {
	Name  string   `json:"name"`
	Email string   `json:"email"`
	Tags  []string `json:"tags,omitempty"`
}

func (u *User) Validate() error {
	var fe kk.FieldErrors
	if u.Name == "" {
		fe = append(fe, kk.FieldError{Field: "name", In: "body", Message: "required"})
	}
	if !strings.Contains(u.Email, "@") {
		fe = append(fe, kk.FieldError{Field: "email", In: "body", Message: "not an address"})
	}
	if len(fe) > 0 {
		return fe
	}
	return nil
}

// Points is a named slice body with its own Validate.
type Points []Point

func (ps Points) Validate() error {
	if len(ps) > 3 {
		return fmt.Errorf("at most 3 points, got %d", len(ps))
	}
	return nil
}

// Scores is a named map body whose Validate wraps FieldErrors.
type Scores map[string]int

func (s Scores) Validate() error {
	var fe kk.FieldErrors
	for _, k := range sortedKeys(s) {
		if s[k] > 100 {
			fe = append(fe, kk.FieldError{Field: k, Message: "over 100"})
		}
	}
	if len(fe) > 0 {
		return fmt.Errorf("scores: %w", fe)
	}
	return nil
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Box has no Validate; it is taken by pointer.
type Box struct {
	W, H int
}

//kk:route POST /points
func PostPoint(p Point) string { return fmt.Sprintf("%d,%d", p.X, p.Y) }

//kk:route POST /users 201
func PostUser(u User) User { return u }

//kk:route PUT /boxes
func PutBox(b *Box) string {
	if b == nil {
		return "nil"
	}
	return fmt.Sprintf("%dx%d", b.W, b.H)
}

//kk:route PUT /users
func PutUser(u *User) string { return "validated " + u.Name }

//kk:route POST /paths
func PostPaths(ps Points) int { return len(ps) }

//kk:route POST /many-points
func PostManyPoints(pts []Point) int {
	sum := 0
	for _, p := range pts {
		sum += p.X + p.Y
	}
	return sum
}

// IDs is a named slice of numbers: not a query value (only []T of an
// unnamed slice type is), so it is the JSON body.
type IDs []int64

//kk:route POST /ids
func PostIDs(ids IDs) (int64, error) {
	var sum int64
	for _, id := range ids {
		sum += id
	}
	if sum < 0 {
		return 0, kk.Error(409, "negative sum")
	}
	return sum, nil
}

//kk:route POST /scores
func PostScores(s Scores) string { return strings.Join(sortedKeys(s), ",") }

//kk:route POST /labels
func PostLabels(labels map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range labels {
		out[strings.ToUpper(k)] = v
	}
	return out
}

// Raw is a named []byte: still the raw body.
type Raw []byte

//kk:route PUT /raw/:name
func PutRaw(name string, body []byte) string { return fmt.Sprintf("%s:%d:%s", name, len(body), body) }

//kk:route PUT /named-raw
func PutNamedRaw(body Raw) []byte { return append([]byte("got "), body...) }

//kk:route POST /stream
func PostStream(c *kk.Ctx, r io.Reader) (string, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d bytes, %d words", len(b), len(strings.Fields(string(b)))), nil
}

// Query is a JSON body that a GET accepts because it says so.
type Query struct {
	Terms []string `json:"terms"`
}

//kk:route GET /search
//kk:allowbody
func Search(q Query, limit int) string {
	return fmt.Sprintf("%s limit %d", strings.Join(q.Terms, "+"), limit)
}
