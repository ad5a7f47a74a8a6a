// Written by hand, like benchgen's match.go files.

//go:build !kkgen

package paramint

import kk "github.com/kommandkit/kk/runtime"

// Match is the generated matcher, exported for the dispatch-only
// benchmarks: it writes the parameters of the route matching method and
// path into ps and returns the route's index, or -1.
func Match(method string, path []byte, ps *kk.Params) int { return kkMatch(method, path, ps) }
