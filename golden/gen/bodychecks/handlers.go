// Package bodychecks covers the declared constraints the binder enforces
// beyond a plain struct body: two handler arguments with constants in one
// wrapper, a pointer to a slice, fields promoted from embedded structs
// (by encoding/json's rules), and bodies that are slices or maps of
// structs.
package bodychecks

// Color is a constant-backed string.
type Color string

const (
	Red  Color = "red"
	Blue Color = "blue"
)

// Size is a constant-backed integer.
type Size int

const (
	Small Size = 1
	Large Size = 2
)

// Count counts the shapes of a color and a size: both arguments are
// checked, and one 422 names both.
//
//kk:route GET /count
func Count(color Color, size Size) int { return int(size) }

// Pick is the same with path parameters.
//
//kk:route GET /pick/:color/:size
func Pick(color Color, size Size) string { return string(color) }

// Tagged holds an optional list: a nil pointer is not checked, a present
// list is.
type Tagged struct {
	Tags *[]string `json:"tags,omitempty" minItems:"1" maxItems:"2" maxLength:"3"`
}

// Tag takes a Tagged body.
//
//kk:route POST /tagged
func Tag(t Tagged) int {
	if t.Tags == nil {
		return -1
	}
	return len(*t.Tags)
}

// Base is embedded by value: its fields are the body's own.
type Base struct {
	Name string `json:"name" minLength:"2"`
	Code int    `json:"code" minimum:"1"`
}

// Extra is embedded by pointer: checked when the body sets one of its
// fields.
type Extra struct {
	Note string `json:"note" maxLength:"3"`
}

// Deep is embedded twice as deep as Shallow's Code, which hides it.
type Deep struct {
	Code int `json:"code" maximum:"0"`
}

// Shallow embeds Deep.
type Shallow struct {
	Deep
}

// Outer flattens Base and Extra; Base.Code is shallower than
// Shallow.Deep.Code, so encoding/json fills Base.Code, and only its
// constraints apply.
type Outer struct {
	Base
	*Extra
	Shallow
	Hidden Base `json:"-"`
}

// Embed takes an Outer body.
//
//kk:route POST /embedded
func Embed(o Outer) string { return o.Name }

// Item is an element of the list and map bodies.
type Item struct {
	Name string `json:"name" minLength:"1"`
}

// Many takes a list of items.
//
//kk:route POST /many
func Many(items []Item) int { return len(items) }

// ManyPtr takes a list of pointers to items.
//
//kk:route POST /manyptr
func ManyPtr(items []*Item) int { return len(items) }

// ByName takes items by name.
//
//kk:route POST /byname
func ByName(items map[string]Item) int { return len(items) }

// Inner is embedded by Left.
type Inner struct {
	X int `json:"x"`
}

// Left embeds Inner, whose x is two levels below Conflict.
type Left struct{ Inner }

// Right's x is one level below Conflict: encoding/json writes it, a
// string, and not Inner's.
type Right struct {
	X string `json:"x"`
	Y int    `json:"y"`
}

// Tie1 and Tie2 both have an untagged Z at the same depth: encoding/json
// writes neither.
type Tie1 struct{ Z int }

// Tie2 is Tie1's twin.
type Tie2 struct{ Z string }

// Conflict shows encoding/json's promotion rules.
type Conflict struct {
	Left
	*Right
	Tie1
	Tie2
}

// Conflicts returns a Conflict.
//
//kk:route GET /conflict
func Conflicts() Conflict {
	return Conflict{Left: Left{Inner{X: 1}}, Right: &Right{X: "right", Y: 2}}
}

// Level has an exported and an unexported constant: only the exported one
// is a value the server accepts, the document lists and the TypeScript
// union allows.
type Level string

const (
	Low  Level = "low"
	high Level = "high"
)

// Ratio is a float type with a constant: no enum (the server checks none).
type Ratio float64

// Half is a Ratio.
const Half Ratio = 0.5

// Levels answers a Ratio for a Level.
//
//kk:route GET /level
func Levels(level Level) Ratio {
	if level == high {
		return 1
	}
	return Half
}
