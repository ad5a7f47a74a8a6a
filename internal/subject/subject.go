// Package subject validates and matches NATS subjects, so the bus (at run
// time) and kkgen (at generation time) accept exactly the same subjects and
// the in-process transport matches them exactly as a NATS server does.
//
// A subject is dot-separated, non-empty tokens of printable characters
// without spaces. A pattern (what a consumer names) may also use "*" as a
// whole token (any one token) and ">" as the last token (one or more
// tokens). Publishers name full subjects: no wildcards.
package subject

import (
	"fmt"
	"strings"
	"unicode"
)

// Reserved is the first token of the subjects the bus uses on NATS for its
// own traffic (sends and requests); user subjects may not start with it.
const Reserved = "_KK"

// Validate reports what is wrong with s, or nil. With pattern set, the
// wildcards "*" (a whole token) and ">" (the last token) are allowed.
func Validate(s string, pattern bool) error {
	if s == "" {
		return fmt.Errorf("empty subject")
	}
	if s[0] == '.' || s[len(s)-1] == '.' {
		return fmt.Errorf("subject %q must not start or end with '.'", s)
	}
	toks := strings.Split(s, ".")
	if toks[0] == Reserved || toks[0] == "_INBOX" {
		return fmt.Errorf("subject %q: the first token %s is reserved for the bus's own traffic", s, toks[0])
	}
	for i, t := range toks {
		if t == "" {
			return fmt.Errorf("subject %q has an empty token (\"..\")", s)
		}
		for _, r := range t {
			if unicode.IsSpace(r) || !unicode.IsPrint(r) {
				return fmt.Errorf("subject %q contains %q; subjects may not contain spaces or control characters", s, r)
			}
		}
		switch {
		case t == "*" || t == ">":
			if !pattern {
				return fmt.Errorf("subject %q contains the wildcard %q; publishers name full subjects (wildcards are for consumers)", s, t)
			}
			if t == ">" && i != len(toks)-1 {
				return fmt.Errorf("subject %q: the wildcard '>' must be the last token", s)
			}
		case strings.ContainsAny(t, "*>"):
			return fmt.Errorf("subject %q: the token %q contains a wildcard character; '*' and '>' must be whole tokens", s, t)
		}
	}
	return nil
}

// Match reports whether the full subject s matches pattern p, as a NATS
// server matches them. Both are assumed valid.
func Match(p, s string) bool {
	for {
		pt, prest, pmore := strings.Cut(p, ".")
		if pt == ">" {
			return s != ""
		}
		if s == "" {
			return false
		}
		st, srest, smore := strings.Cut(s, ".")
		if pt != "*" && pt != st {
			return false
		}
		if !pmore || !smore {
			return pmore == smore
		}
		p, s = prest, srest
	}
}

// HasWildcard reports whether pattern p has a "*" or ">" token.
func HasWildcard(p string) bool {
	for t := range strings.SplitSeq(p, ".") {
		if t == "*" || t == ">" {
			return true
		}
	}
	return false
}
