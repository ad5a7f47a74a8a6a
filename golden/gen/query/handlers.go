// Package query covers handler parameters bound to query keys of their own
// name: every scalar kind, named types of them, TextUnmarshaler types
// (which win over the underlying kind), *T (nil when absent or empty) and
// []T (every value of a repeated key), next to a path parameter.
package query

import (
	"errors"
	"net/netip"
	"time"
)

// Scalars echoes one query value of every basic kind.
type Scalars struct {
	S   string
	B   bool
	I   int
	I8  int8
	I16 int16
	I32 int32
	I64 int64
	U   uint
	U8  uint8
	U16 uint16
	U32 uint32
	U64 uint64
	F32 float32
	F64 float64
}

//kk:route GET /scalars
func GetScalars(s string, b bool, i int, i8 int8, i16 int16, i32 int32, i64 int64,
	u uint, u8 uint8, u16 uint16, u32 uint32, u64 uint64, f32 float32, f64 float64) Scalars {
	return Scalars{s, b, i, i8, i16, i32, i64, u, u8, u16, u32, u64, f32, f64}
}

type (
	Name  string
	Flag  bool
	Level int8
	ID    uint16
	Ratio float32
)

// Color has an int underlying type but decodes from names: UnmarshalText
// wins over the int decoder.
type Color int

func (c *Color) UnmarshalText(b []byte) error {
	switch string(b) {
	case "red":
		*c = 1
	case "green":
		*c = 2
	default:
		return errors.New("want red or green")
	}
	return nil
}

// Named echoes named and TextUnmarshaler query values.
type Named struct {
	Name  Name
	Flag  Flag
	Level Level
	ID    ID
	Ratio Ratio
	Color Color
	Addr  string
	When  string
}

//kk:route GET /named
func GetNamed(name Name, flag Flag, level Level, id ID, ratio Ratio, color Color, addr netip.Addr, when time.Time) Named {
	n := Named{Name: name, Flag: flag, Level: level, ID: id, Ratio: ratio, Color: color}
	if addr.IsValid() {
		n.Addr = addr.String()
	}
	if !when.IsZero() {
		n.When = when.UTC().Format(time.RFC3339)
	}
	return n
}

// Optional tells absent (nil) from zero.
type Optional struct {
	N     *int
	S     *string
	B     *bool
	Level *Level
	Color *Color
	Addr  *netip.Addr
}

//kk:route GET /optional
func GetOptional(n *int, s *string, b *bool, level *Level, color *Color, addr *netip.Addr) Optional {
	return Optional{n, s, b, level, color, addr}
}

// Lists echoes repeated keys.
type Lists struct {
	Tags   []string
	Nums   []int8
	Us     []uint64
	Fs     []float64
	Levels []Level
	Colors []Color
	Addrs  []netip.Addr
	Flags  []Flag
}

//kk:route GET /lists
func GetLists(tag []string, num []int8, u []uint64, f []float64, level []Level, color []Color, addr []netip.Addr, flag []Flag) Lists {
	return Lists{tag, num, u, f, level, color, addr, flag}
}

// Mixed takes a path parameter and a query key in one handler; the
// pattern's name wins for id, so only q and limit come from the query.
//
//kk:route GET /users/:id/posts
func Posts(id int64, q string, limit *uint8) (map[string]any, error) {
	if limit != nil && *limit == 0 {
		return nil, errors.New("never")
	}
	return map[string]any{"id": id, "q": q, "limit": limit}, nil
}
