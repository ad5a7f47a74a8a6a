// Package wrappernames covers handlers whose wrapper names would collide
// with each other or with the generated matchers and error mapping: funcs
// that differ only in the case of their first letter, a func with two
// routes (numbered wrappers) beside a func whose name ends in that number,
// and funcs named Match, MatchGET and StatusOf next to a //kk:error
// annotation, so that kkMatch, kkMatchGET and kkStatusOf are generated too.
package wrappernames

import (
	"errors"
	"fmt"
)

//kk:error 404
var ErrMissing = errors.New("missing")

//kk:route GET /lower/:id
func getUser(id int) string { return fmt.Sprint("getUser ", id) }

//kk:route GET /upper/:id
func GetUser(id int) string { return fmt.Sprint("GetUser ", id) }

//kk:route GET /file/a
//kk:route GET /file/b
func File() string { return "File" }

//kk:route GET /file2
func File2() string { return "File2" }

//kk:route GET /match/:x
func Match(x string) (string, error) {
	if x == "none" {
		return "", ErrMissing
	}
	return "Match " + x, nil
}

//kk:route GET /matchget
func MatchGET() string { return "MatchGET" }

//kk:route POST /matchpost
func MatchPOST() string { return "MatchPOST" }

//kk:route GET /status/:code
func StatusOf(code int) (int, error) {
	if code == 404 {
		return 0, fmt.Errorf("status %d: %w", code, ErrMissing)
	}
	return code, nil
}
