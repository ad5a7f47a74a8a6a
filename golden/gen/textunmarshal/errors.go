package textunmarshal

import (
	"errors"
	"fmt"
	"strconv"

	kk "github.com/kommandkit/kk/runtime"
)

// ErrNoSuchColor is annotated, so a handler returning it answers 404; a
// decoder whose error wraps it still answers 400, since the path parameter
// failed to decode.
//
//kk:error 404
var ErrNoSuchColor = errors.New("no such color")

// Color is a name or a number from 0 to 255.
type Color uint8

var colors = map[string]Color{"red": 1, "green": 2}

func (c *Color) UnmarshalText(b []byte) error {
	if v, ok := colors[string(b)]; ok {
		*c = v
		return nil
	}
	if string(b) == "none" {
		// An error with its own StatusCode: still a 400.
		return kk.Error(410, "none is gone")
	}
	if b[0] < '0' || b[0] > '9' {
		return fmt.Errorf("color %q: %w", b, ErrNoSuchColor)
	}
	// A number: strconv's own errors, which wrap strconv.ErrRange or
	// strconv.ErrSyntax, keep their message in the 400's detail.
	n, err := strconv.ParseUint(string(b), 10, 8)
	if err != nil {
		return fmt.Errorf("color number: %w", err)
	}
	*c = Color(n)
	return nil
}

//kk:route GET /color/:c
func GetColor(c Color) (string, error) {
	if c == 0 {
		return "", fmt.Errorf("color 0: %w", ErrNoSuchColor)
	}
	return fmt.Sprint("color ", uint8(c)), nil
}
