// Package jsonlib measures encoding/json against two well-kept faster JSON
// libraries on the example service's payloads, for the README's choice of
// JSON library: go test -run '^$' -bench . -benchmem ./jsonlib
package jsonlib
