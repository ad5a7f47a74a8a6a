// Package model is the plain description of a package's routes that the
// checker produces and the radix and emit stages consume. It holds no go/ast
// or go/types values, so the later stages can be tested with literals.
package model

import (
	"go/token"
	"time"

	"github.com/kommandkit/kk/internal/pattern"
)

// Package is everything kkgen generates code for in one Go package.
type Package struct {
	Name          string // package name
	Path          string // import path
	Routes        []Route
	Errors        []ErrorStatus
	ErrorHandlers []ErrorHandler
	Consumers     []Consumer          // //kk:consumer funcs, in source order
	Receivers     []Receiver          // types whose methods are annotated, by name
	Declared      map[string]bool     // package-level names, which generated locals avoid
	Doc           string              // the package's doc comment (schema.go)
	Schemas       []NamedSchema       // the document's components, by name
	Security      map[string]Security // //kk:security schemes by middleware name
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
	DecodeString   Decoder = iota // string(raw): a copy the handler may keep
	DecodeBytes                   // raw itself: a view valid during the call
	DecodeInt                     // kk.ParseInt
	DecodeUint                    // kk.ParseUint
	DecodeFloat                   // kk.ParseFloat
	DecodeBool                    // kk.ParseBool
	DecodeText                    // (*T).UnmarshalText
	DecodeDuration                // kk.ParseDuration: time.Duration as Go writes it (300ms)
	DecodeTime                    // kk.ParseTime: time.Time in RFC 3339
)

// Type names a Go type for emitted code. Path is "" for predeclared types;
// a named type has its package's import path.
type Type struct {
	Path    string
	PkgName string // the package's name, which need not be Path's last element
	Name    string
}

// TypeExpr is a type as written in Go source, for declaring locals of a
// parameter's type: a named or predeclared type, or a pointer, slice, array
// or map of those.
type TypeExpr struct {
	Kind TypeKind
	Type Type      // for NamedType
	Len  int64     // for ArrayType
	Elem *TypeExpr // for pointers, slices, arrays and maps
	Key  *TypeExpr // for maps
}

// TypeKind is the shape of a TypeExpr.
type TypeKind int

const (
	NamedType TypeKind = iota // a named or predeclared type (Type)
	PointerType
	SliceType
	ArrayType
	MapType
)

// Source is where an argument's value comes from.
type Source int

const (
	FromPath        Source = iota // a pattern parameter
	FromQuery                     // a query-string key
	FromHeader                    // a request header
	FromCookie                    // a cookie
	FromForm                      // a urlencoded or multipart form field
	FromJSON                      // the body, decoded as JSON
	FromRawBody                   // the body as []byte
	FromReader                    // the body as an io.Reader
	FromStruct                    // an input struct whose fields bind one by one
	FromWebSocket                 // the *kk.WebSocket of a WebSocket route
	FromEventStream               // the *kk.EventStream of an event-stream route
)

// Scalar says how one request value decodes into a Go value.
type Scalar struct {
	Decoder Decoder
	Bits    int  // for ints, uints and floats; 0 means int or uint
	Type    Type // the element type: the value's type, or what *T or []T hold
	Convert bool // whether the decoded value needs converting to Type
	Ptr     bool // *T: nil when absent
	Slice   bool // []T: every value of a repeated key
	File    bool // *multipart.FileHeader ([]*multipart.FileHeader with Slice)
}

// Arg is one handler parameter and what binds it.
type Arg struct {
	Name     string   // the func parameter's name
	Source   Source   //
	Key      string   // its key in Source: pattern parameter, query key, ...
	Index    int      // for FromPath: position among the pattern's parameters
	Value    Scalar   // for path, query, header, cookie and form arguments
	Full     TypeExpr // the parameter's declared type
	Struct   *Input   // for FromStruct
	Validate bool     // the type has a Validate() error method to call
	Schema   *Schema  // its JSON shape, for the document (nil for WebSocket and event-stream arguments)
	Checks   *Checks  // for FromJSON: the declared constraints of the body's fields, or nil
	Enum     []string // for a path, query, header or cookie value of a named type with constants: them, as Go literals
}

// Input is an input struct: a named struct type whose tagged fields each
// bind from the path, query, headers, cookies or form.
type Input struct {
	Type   Type
	Fields []Field
	Form   bool // some field binds from the form, so the body must be one
}

// Field is one bound field of an input struct.
type Field struct {
	Name        string // the Go field name
	Source      Source
	Key         string
	Value       Scalar
	Default     string // the default:"..." text, decoded when the key is absent
	HasDef      bool
	Required    bool
	Schema      *Schema     // its JSON shape, for the document
	Doc         string      // its doc comment or doc:"..." tag
	Constraints Constraints // its declared constraint tags and its type's constants
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
	EncodeJSON   Encoding = iota // application/json
	EncodeText                   // string: text/plain; charset=utf-8
	EncodeBytes                  // []byte: application/octet-stream
	EncodeStream                 // io.Reader: streamed
)

// RouteKind is what a route's handler does with the connection.
type RouteKind int

const (
	HTTPRoute        RouteKind = iota // an ordinary request and response
	WebSocketRoute                    // takes a *kk.WebSocket: upgraded once bound
	EventStreamRoute                  // takes a *kk.EventStream: text/event-stream
)

// Route is one //kk:route annotation and the func it annotates.
type Route struct {
	Kind         RouteKind
	Method       string
	Pattern      pattern.Pattern
	Func         string // handler func name, or the method's name when Recv is set
	Recv         string // the receiver's type name for a method handler, else ""
	Ctx          CtxKind
	Args         []Arg // in the func's parameter order, after the context
	Result       ResultKind
	Encoding     Encoding
	Response     bool           // the result is a kk.Response[T]; Encoding is T's
	Status       int            // success status from the annotation, or 0 for 200
	Middleware   []string       // //kk:group then //kk:use names, outermost first; Type.Method names a method of a Receiver
	Timeout      time.Duration  // //kk:timeout, or 0
	BodyLimit    int64          // //kk:bodylimit in bytes, or 0 for the server's
	Static       *Static        // for a //kk:static var: served by kk.Static, Func is the var
	Pos          token.Position // of the annotation
	Doc          Doc            // the handler's doc comment
	ResultSchema *Schema        // the JSON shape of the result's value, or nil
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
	Recv   string // the receiver's type name for a method, else ""
	Pos    token.Position
}

// Static is a //kk:static annotation on the var its Route's Func names,
// whose files GET PREFIX/*path serves, from Dir inside it ("" for the var
// itself).
type Static struct {
	Prefix string
	Dir    string
}

// Consumer is a //kk:consumer annotation and the func it annotates.
type Consumer struct {
	Subject     string  // a NATS subject pattern
	Func        string  // the consumer func's name, or the method's name when Recv is set
	Recv        string  // the receiver's type name for a method, else ""
	Ctx         CtxKind // NoCtx or ContextCtx
	Reply       bool    // the func returns (R, error), which answers a Request
	Concurrency int     // concurrency=N, or 0 for one at a time
	Pos         token.Position
}

// Receiver is a named type of the package some of whose methods are
// annotated. The generated NewRouter (for routes, error handlers and
// middleware) or RegisterConsumers (for consumers) takes one value of it,
// whose methods the generated code calls.
type Receiver struct {
	Type    string // the type's name
	Pointer bool   // passed as *Type: some annotated method has a pointer receiver
	Router  bool   // NewRouter takes it: it has routes, error handlers or middleware in use
	Bus     bool   // RegisterConsumers takes it: it has consumers
}

// FuncName is how messages and generated comments name a handler: its func,
// or Type.Method for a method.
func FuncName(recv, fn string) string {
	if recv == "" {
		return fn
	}
	return recv + "." + fn
}

// ServedBy names what serves r in messages and generated comments: its
// func, or the var of a //kk:static ("//kk:static assets").
func (r Route) ServedBy() string {
	if r.Static != nil {
		return "//kk:static " + r.Func
	}
	return FuncName(r.Recv, r.Func)
}
