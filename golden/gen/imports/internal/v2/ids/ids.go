// Package ids is version 2 of the IDs: prefixed strings, decoded as text.
package ids

import (
	"errors"
	"strings"
)

// UserID is "u-" followed by anything.
type UserID struct{ Raw string }

func (u *UserID) UnmarshalText(b []byte) error {
	s, ok := strings.CutPrefix(string(b), "u-")
	if !ok {
		return errors.New(`want a "u-" prefix`)
	}
	u.Raw = s
	return nil
}
