// Package catchall covers *name parameters: the rest of the path without
// its leading slash, possibly empty, decoded like any other parameter.
package catchall

import (
	"fmt"
	"strings"
)

// Path is a catch-all decoded through UnmarshalText.
type Path []string

func (p *Path) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = nil
		return nil
	}
	*p = strings.Split(string(b), "/")
	return nil
}

//kk:route GET /static/*file
func Static(file string) string { return "file=" + file }

//kk:route GET /raw/*rest
func Raw(rest []byte) []byte { return rest }

//kk:route GET /n/*num
func Num(num uint16) string { return fmt.Sprint(num + 1) }

//kk:route GET /split/*parts
func Split(parts Path) (int, error) { return len(parts), nil }

//kk:route GET /v/:version/*rest
func Versioned(version int, rest string) string { return fmt.Sprintf("v%d %s", version, rest) }
