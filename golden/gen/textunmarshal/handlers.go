// Package textunmarshal covers path parameters whose pointer type
// implements encoding.TextUnmarshaler: structs, named scalars (where
// UnmarshalText wins over the underlying kind's decoder) and types from
// other packages.
package textunmarshal

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Point is "X,Y".
type Point struct{ X, Y int }

func (p *Point) UnmarshalText(b []byte) error {
	x, y, ok := strings.Cut(string(b), ",")
	if !ok {
		return errors.New("want X,Y")
	}
	var err1, err2 error
	p.X, err1 = strconv.Atoi(x)
	p.Y, err2 = strconv.Atoi(y)
	return errors.Join(err1, err2)
}

// Level has an int underlying type but decodes from names.
type Level int

func (l *Level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "debug":
		*l = -4
	case "info":
		*l = 0
	case "error":
		*l = 8
	default:
		return fmt.Errorf("unknown level %q", b)
	}
	return nil
}

// Upper has a string underlying type; UnmarshalText sees the raw bytes.
type Upper string

func (u *Upper) UnmarshalText(b []byte) error {
	*u = Upper(strings.ToUpper(string(b)))
	return nil
}

//kk:route GET /point/:p
func GetPoint(p Point) Point { return p }

//kk:route GET /level/:l
func GetLevel(l Level) string { return fmt.Sprint(int(l)) }

//kk:route GET /upper/:u
func GetUpper(u Upper) string { return string(u) }

//kk:route GET /addr/:a/:p
func GetAddr(a netip.Addr, p Point) (string, error) {
	return fmt.Sprintf("%s is4=%v %d", a, a.Is4(), p.X+p.Y), nil
}
