package main

import "embed"

// apiDocs are the API's OpenAPI documents, which go generate writes with
// kkgen -openapi (3.1, 3.0.3 and 3.2), embedded so the binary needs no
// file at run time: GET /api-docs/openapi.json and its siblings, served
// by kk.Static with ETags, 304s and compression. Static routes stay out
// of the documents themselves.
//
//go:embed api
//kk:static /api-docs api
var apiDocs embed.FS
