// Package errnamed names its //kk:error sentinel err, the name the
// generated error mapping would otherwise give its own parameter.
package errnamed

import "errors"

//kk:error 404
var err = errors.New("missing")

//kk:route GET /a/:x
func A(x string) error {
	if x == "missing" {
		return err
	}
	return errors.New("boom")
}
