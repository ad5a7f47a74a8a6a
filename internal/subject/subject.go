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
// wildcards "*" (a whole token) and ">" (the last token) are allowed. It
// runs on every message, so the common case is one pass over the bytes.
func Validate(s string, pattern bool) error {
	if s == "" {
		return fmt.Errorf("empty subject")
	}
	if s[0] == '.' || s[len(s)-1] == '.' {
		return fmt.Errorf("subject %q must not start or end with '.'", s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 { // non-ASCII: only valid, printable, non-space UTF-8
			if !validRunes(s) {
				return fmt.Errorf("subject %q contains a space, a control character or invalid UTF-8; subjects may not", s)
			}
			break
		}
	}
	start := 0 // of the current token
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			if b := s[i]; b <= ' ' || b == 0x7f {
				return fmt.Errorf("subject %q contains a space or control character; subjects may not", s)
			}
			continue
		}
		t := s[start:i]
		switch {
		case t == "":
			return fmt.Errorf("subject %q has an empty token (\"..\")", s)
		case start == 0 && (t == Reserved || t == "_INBOX"):
			return fmt.Errorf("subject %q: the first token %s is reserved for the bus's own traffic", s, t)
		case t == "*" || t == ">":
			if !pattern {
				return fmt.Errorf("subject %q contains the wildcard %q; publishers name full subjects (wildcards are for consumers)", s, t)
			}
			if t == ">" && i != len(s) {
				return fmt.Errorf("subject %q: the wildcard '>' must be the last token", s)
			}
		default:
			for j := 0; j < len(t); j++ {
				if t[j] == '*' || t[j] == '>' {
					return fmt.Errorf("subject %q: the token %q contains a wildcard character; '*' and '>' must be whole tokens", s, t)
				}
			}
		}
		start = i + 1
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
