// Package paramint is one route with an int64 parameter, for the target
// "a one-param route's dispatch plus int decode": kkgen decodes id with
// kk.ParseInt before GetUser runs. kk_gen.go is written by kkgen; this
// file is written by hand.
package paramint

// Last is the id GetUser received, so the decode cannot be optimized away.
var Last int64

//kk:route GET /user/:id
func GetUser(id int64) { Last = id }
