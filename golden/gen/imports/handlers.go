// Package imports covers parameter types from other packages: the standard
// library, two packages with the same name (which need an import alias) and
// a package whose name differs from its directory. aliases.go adds
// package-level declarations named like imported packages and parameters
// named like the aliases kk_gen.go picks.
package imports

import (
	"fmt"
	"time"

	"github.com/kommandkit/kk/golden/gen/imports/internal/go-uuid"
	v1 "github.com/kommandkit/kk/golden/gen/imports/internal/v1/ids"
	v2 "github.com/kommandkit/kk/golden/gen/imports/internal/v2/ids"
)

//kk:route GET /v1/users/:id
func UserV1(id v1.UserID) string { return fmt.Sprintf("v1 %T %d", id, id) }

//kk:route GET /v2/users/:id
func UserV2(id v2.UserID) string { return fmt.Sprintf("v2 %T %s", id, id.Raw) }

//kk:route GET /both/:a/:b
func Both(a v1.UserID, b v2.UserID) string { return fmt.Sprintf("%d %s", a, b.Raw) }

//kk:route GET /short/:s
func Short(s uuid.Short) string { return fmt.Sprintf("%T %s", s, s) }

//kk:route GET /sleep/:d/:month
func Sleep(d time.Duration, month time.Month) string { return fmt.Sprint(d, " ", month) }
