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
	"unicode/utf8"
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
	first := true
	for rest := s; ; first = false {
		t, tail, more := strings.Cut(rest, ".")
		if first && (t == Reserved || t == "_INBOX") {
			return fmt.Errorf("subject %q: the first token %s is reserved for the bus's own traffic", s, t)
		}
		if t == "" {
			return fmt.Errorf("subject %q has an empty token (\"..\")", s)
		}
		for i := 0; i < len(t); i++ {
			if b := t[i]; b <= ' ' || b == 0x7f || b >= 0x80 && !validRunes(t) {
				return fmt.Errorf("subject %q contains a space or control character; subjects may not", s)
			}
		}
		switch {
		case t == "*" || t == ">":
			if !pattern {
				return fmt.Errorf("subject %q contains the wildcard %q; publishers name full subjects (wildcards are for consumers)", s, t)
			}
			if t == ">" && more {
				return fmt.Errorf("subject %q: the wildcard '>' must be the last token", s)
			}
		case strings.ContainsAny(t, "*>"):
			return fmt.Errorf("subject %q: the token %q contains a wildcard character; '*' and '>' must be whole tokens", s, t)
		}
		if !more {
			break
		}
		rest = tail
	}
	return nil
}

// validRunes reports whether the non-ASCII text t is valid UTF-8 without
// spaces or control characters.
func validRunes(t string) bool {
	for _, r := range t {
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
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
