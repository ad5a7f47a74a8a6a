package main

import (
	kk "github.com/kommandkit/kk/runtime"
)

// router serves the given GET paths, each with its handler: a hand-made
// table, as kkgen would generate for a few static routes.
func router(routes map[string]kk.Handler) *kk.Router {
	t := kk.Table{Methods: []string{"GET"}}
	index := map[string]int{}
	for path, h := range routes {
		index[path] = len(t.Routes)
		t.Routes = append(t.Routes, kk.Route{Method: "GET", Pattern: path, Name: path, Handler: h})
	}
	t.Match = func(method string, path []byte, _ *kk.Params) int {
		if i, ok := index[string(path)]; ok && method == "GET" {
			return i
		}
		return -1
	}
	return kk.New(t)
}
