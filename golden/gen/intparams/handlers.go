// Package intparams covers every sized and unsized integer path parameter,
// decoded in base 10 with range checks instead of wrapping.
package intparams

import "fmt"

//kk:route GET /int/:v
func Int(v int) string { return fmt.Sprint(v) }

//kk:route GET /int8/:v
func Int8(v int8) string { return fmt.Sprint(v) }

//kk:route GET /int16/:v
func Int16(v int16) string { return fmt.Sprint(v) }

//kk:route GET /int32/:v
func Int32(v int32) string { return fmt.Sprint(v) }

//kk:route GET /int64/:v
func Int64(v int64) string { return fmt.Sprint(v) }

//kk:route GET /uint/:v
func Uint(v uint) string { return fmt.Sprint(v) }

//kk:route GET /uint8/:v
func Uint8(v uint8) string { return fmt.Sprint(v) }

//kk:route GET /uint16/:v
func Uint16(v uint16) string { return fmt.Sprint(v) }

//kk:route GET /uint32/:v
func Uint32(v uint32) string { return fmt.Sprint(v) }

//kk:route GET /uint64/:v
func Uint64(v uint64) string { return fmt.Sprint(v) }

// byte and rune are uint8 and int32.
//
//kk:route GET /byte/:b/rune/:r
func ByteRune(b byte, r rune) string { return fmt.Sprint(b, " ", r) }

// Sum answers a constant so the allocation test measures the router alone.
//
//kk:route GET /sum/:a/:b/:c
func Sum(a int64, b uint16, c int) string { return "ok" }
