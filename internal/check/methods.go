package check

import (
	"sort"

	"github.com/kommandkit/kk/internal/directive"
	"github.com/kommandkit/kk/internal/httpmethod"
)

// declareMethods checks one //kk:method NAME... line, which declares
// extension methods for every file of the package.
func (c *checker) declareMethods(d directive.Directive) {
	if !d.OnFile {
		c.diags.Addf(d.Pos, "//kk:method belongs in the comment directly above a package clause, where it declares extension methods for the whole package; here it documents %s", documents(d))
		return
	}
	for _, a := range d.Args {
		switch {
		case !methodRE.MatchString(a.Text):
			c.diags.Addf(a.Pos, "extension method %q must be an upper-case token of letters, digits, '-' and '_', such as M-SEARCH", a.Text)
		case httpmethod.Registered(a.Text):
			c.diags.Addf(a.Pos, "%s is in the IANA HTTP Method Registry: routes use it without //kk:method", a.Text)
		default:
			if c.extMethods == nil {
				c.extMethods = map[string]bool{}
			}
			c.extMethods[a.Text] = true
		}
	}
}

// knownMethod reports whether method is registered or declared, and reports
// it at t otherwise, with the nearest known method when one is close.
func (c *checker) knownMethod(t directive.Token) bool {
	if httpmethod.Registered(t.Text) || c.extMethods[t.Text] {
		return true
	}
	if near := c.nearestMethod(t.Text); near != "" {
		c.diags.Addf(t.Pos, "unknown HTTP method %s (did you mean %s?)", t.Text, near)
	} else {
		c.diags.Addf(t.Pos, "unknown HTTP method %s: it is not in the IANA HTTP Method Registry; to serve it as an extension method, declare it with //kk:method %s above the package clause", t.Text, t.Text)
	}
	return false
}

// nearestMethod is the registered or declared method closest to m, if one
// is within two edits (a transposition counts as one) and shorter edits
// than m has letters; ties go to the alphabetically first.
func (c *checker) nearestMethod(m string) string {
	names := httpmethod.Names()
	for k := range c.extMethods {
		names = append(names, k)
	}
	sort.Strings(names)
	best, bestD := "", 3
	for _, k := range names {
		if d := editDistance(m, k); d < bestD && d < len(m) {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of adjacent
// letters each cost one, so GTE is one edit from GET.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
