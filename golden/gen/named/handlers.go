// Package named covers named path-parameter types of every decodable
// underlying kind, which are decoded as their underlying type and
// converted, and an alias, which is decoded as what it stands for.
package named

import "fmt"

type (
	Slug   string
	Raw    []byte
	Flag   bool
	Count  int
	Small  int8
	Medium int16
	Large  int32
	Huge   int64
	Ucount uint
	Octet  uint8
	Port   uint16
	Ip4    uint32
	Id     uint64
	Ratio  float32
	Score  float64
)

// Alias is not a new type: it decodes as int16.
type Alias = int16

// Deep is a named type over a named type.
type Deep Port

func show(vs ...any) string {
	s := ""
	for _, v := range vs {
		s += fmt.Sprintf("%T=%v;", v, v)
	}
	return s
}

//kk:route GET /s/:slug/:raw/:flag
func Strs(slug Slug, raw Raw, flag Flag) string { return show(slug, string(raw), flag) }

//kk:route GET /i/:a/:b/:c/:d/:e
func Ints(a Count, b Small, c Medium, d Large, e Huge) string { return show(a, b, c, d, e) }

//kk:route GET /u/:a/:b/:c/:d/:e
func Uints(a Ucount, b Octet, c Port, d Ip4, e Id) string { return show(a, b, c, d, e) }

//kk:route GET /f/:r/:s
func Floats(r Ratio, s Score) string { return show(r, s) }

//kk:route GET /x/:a/:d
func Other(a Alias, d Deep) string { return show(a, d) }
