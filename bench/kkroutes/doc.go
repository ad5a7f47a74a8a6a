// Package kkroutes holds kk's side of the routing benchmarks: one package
// per route table, generated from ../../testdata/routes by ../internal/benchgen
// (handlers.go, match.go) and kkgen (kk_gen.go), all committed. After a
// change to the tables, benchgen or kkgen, regenerate them with
//
//	go generate ./kkroutes
//
// .ci/run checks that every kk_gen.go is what kkgen makes now.
package kkroutes

//go:generate go run ../internal/benchgen -routes ../../testdata/routes -out . -tables ../internal/tables/tables_gen.go
//go:generate go run github.com/kommandkit/kk/cmd/kkgen ./...
