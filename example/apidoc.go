package main

import "embed"

// apiDocs are the API's OpenAPI documents, which go generate writes with
// kkgen -openapi (3.1, 3.0.3 and 3.2), and a reference page that renders
// the 3.1 one with Redoc (api/redoc, vendored), all embedded so the binary
// needs no file and no network at run time: GET /api-docs/ for the page,
// /api-docs/openapi.json and its siblings for the documents, served by
// kk.Static with ETags, 304s and compression. Static routes stay out of
// the documents themselves.
//
//go:embed api
//kk:static /api-docs api
var apiDocs embed.FS
