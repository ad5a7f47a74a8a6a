// Package apicheck validates the OpenAPI documents kkgen writes with
// validators kk does not depend on: github.com/pb33f/libopenapi-validator
// (3.0, 3.1 and 3.2) and github.com/getkin/kin-openapi (3.0). It is a
// module of its own so that neither becomes a requirement of kk's root
// module; CI runs its tests (.ci/run).
package apicheck
