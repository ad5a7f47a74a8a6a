// Package client is a client of the example's API that oapi-codegen
// generates from the example's OpenAPI 3.0.3 document (kkgen -openapi): a
// third-party generator reading kk's document. Regenerate with go generate
// in this directory.
package client

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.9.0 -generate types,client -package client -o client.gen.go ../../../../example/api/openapi-3.0.json
