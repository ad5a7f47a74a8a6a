// Package strparams covers the string-like path parameters: a string is a
// copy the handler may keep, a []byte is a view valid only during the call.
package strparams

import "sync"

// Name is a named string: decoded by conversion, still a copy.
type Name string

// Blob is a named []byte: a view like []byte.
type Blob []byte

var (
	mu   sync.Mutex
	kept []string
)

// Kept returns the strings Keep was given, in order.
func Kept() []string {
	mu.Lock()
	defer mu.Unlock()
	return append([]string(nil), kept...)
}

//kk:route GET /keep/:s
func Keep(s string) string {
	mu.Lock()
	defer mu.Unlock()
	kept = append(kept, s)
	return s
}

//kk:route GET /name/:n
func KeepName(n Name) string {
	mu.Lock()
	defer mu.Unlock()
	kept = append(kept, string(n))
	return "name " + string(n)
}

//kk:route GET /bytes/:b
func Bytes(b []byte) []byte {
	return append([]byte("bytes "), b...)
}

//kk:route GET /blob/:b
func BlobLen(b Blob) (int, error) { return len(b), nil }

//kk:route GET /two/:a/:b
func Two(a string, b []byte) string { return a + "+" + string(b) }
