package check

import (
	"go/ast"
	"strconv"
	"strings"

	"github.com/kommandkit/kk/internal/directive"
)

// sizeUnits are the units //kk:bodylimit accepts: binary multiples, as
// written in the contract (512KiB, 64MiB, 1GiB).
var sizeUnits = []struct {
	name  string
	shift uint
}{{"KiB", 10}, {"MiB", 20}, {"GiB", 30}}

// bodyLimit checks //kk:bodylimit SIZE on fd and records it in x.
func (c *checker) bodyLimit(d directive.Directive, fd *ast.FuncDecl, x *funcExtra) {
	arg := d.Args[0]
	n, ok := parseSize(arg.Text)
	if !ok {
		hint := ""
		binary := map[string]string{"KB": "KiB", "kB": "KiB", "K": "KiB", "k": "KiB", "MB": "MiB", "M": "MiB", "GB": "GiB", "G": "GiB"}
		for _, unit := range []string{"KB", "MB", "GB", "kB", "K", "M", "G", "k", "B"} {
			num, found := strings.CutSuffix(arg.Text, unit)
			if !found || num == "" || strings.Trim(num, "0123456789") != "" {
				continue
			}
			if unit == "B" {
				hint = "; bytes take no unit: write " + num
			} else {
				hint = "; for binary units write " + num + binary[unit]
			}
			break
		}
		c.diags.Addf(arg.Pos, "body limit %q must be a positive whole number of bytes, optionally with the unit KiB, MiB or GiB (such as 512KiB, 64MiB, 1GiB)%s", arg.Text, hint)
		return
	}
	if x.bodyLimit != 0 {
		c.diags.Addf(d.Pos, "%s has two //kk:bodylimit lines", fd.Name.Name)
		return
	}
	x.bodyLimit = n
}

// parseSize reads digits with an optional unit; it fails for zero, signs,
// fractions, spaces, unknown units and sizes beyond int64.
func parseSize(s string) (int64, bool) {
	var shift uint
	for _, u := range sizeUnits {
		if num, ok := strings.CutSuffix(s, u.name); ok {
			s, shift = num, u.shift
			break
		}
	}
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > (1<<63-1)>>shift {
		return 0, false
	}
	return n << shift, true
}
