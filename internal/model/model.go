// Package model is the plain description of a package's routes that the
// checker produces and the radix and emit stages consume. It holds no go/ast
// or go/types values, so the later stages can be tested with literals.
package model

import (
	"go/token"

	"github.com/kommandkit/kk/internal/pattern"
)

// Package is everything kkgen generates code for in one Go package.
type Package struct {
	Name          string // package name
	Path          string // import path
	Dir           string // directory holding the sources
	Routes        []Route
	Errors        []ErrorStatus
	ErrorHandlers []ErrorHandler
	Declared      map[string]bool // package-level names, which generated locals avoid
}

// CtxKind is how a handler receives the request context.
type CtxKind int

const (
	NoCtx      CtxKind = iota
	KKCtx              // first parameter *kk.Ctx
	ContextCtx         // first parameter context.Context
)

// Decoder is how a path parameter's text becomes its Go value.
type Decoder int

const (
	DecodeString Decoder = iota // string(raw): a copy the handler may keep
	DecodeBytes                 // raw itself: a view valid during the call
	DecodeInt                   // kk.ParseInt
	DecodeUint                  // kk.ParseUint
	DecodeFloat                 // kk.ParseFloat
	DecodeBool                  // kk.ParseBool
	DecodeText                  // (*T).UnmarshalText
)

// Type names a Go type for emitted code. Path is "" for predeclared types;
// a named type has its package's import path.
type Type struct {
	Path    string
	PkgName string // the package's name, which need not be Path's last element
	Name    string
}

// Arg is one handler parameter bound to a path parameter.
type Arg struct {
	Name    string  // the func parameter and pattern parameter name
	Index   int     // position among the pattern's parameters
	Decoder Decoder //
	Bits    int     // for ints, uints and floats; 0 means int or uint
	Type    Type    // the parameter's declared type
	Convert bool    // whether the decoded value needs converting to Type
}

// ResultKind is what a handler returns.
type ResultKind int

const (
	NoResult ResultKind = iota // func(...)
	ErrOnly                    // func(...) error
	Value                      // func(...) T
	ValueErr                   // func(...) (T, error)
)

// Encoding is how a result value is written.
type Encoding int

const (
	EncodeJSON  Encoding = iota // application/json
	EncodeText                  // string: text/plain; charset=utf-8
	EncodeBytes                 // []byte: application/octet-stream
)

// Route is one //kk:route annotation and the func it annotates.
type Route struct {
	Method   string
	Pattern  pattern.Pattern
	Func     string // handler func name
	Ctx      CtxKind
	Args     []Arg // in the func's parameter order, after the context
	Result   ResultKind
	Encoding Encoding
	Pos      token.Position // of the annotation
}

// ErrorStatus is a //kk:error annotation.
type ErrorStatus struct {
	Status int
	Var    string // a sentinel var, matched with errors.Is; or
	Type   Type   // an error type, matched with errors.As
	Ptr    bool   // Type's pointer implements error (match *T)
	Value  bool   // Type itself implements error (match T)
	Pos    token.Position
}

// ErrorHandler is a //kk:errorhandler func.
type ErrorHandler struct {
	Status int
	Func   string
	Pos    token.Position
}
