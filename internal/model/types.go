package model

// API is the wire view of a package's routes that the clients are written
// from: the Go type of each route's parameters and result, and the
// declaration of every named type they reach. internal/apitype builds it
// from go/types; it holds no go/types values, like the rest of the model.
type API struct {
	Routes []APIRoute  // one per Package.Routes entry, in the same order
	Types  []TypeDecl  // every named type the routes reach, sorted by Path, then Name
	Consts []ConstDecl // constants of the local types, sorted by type, then source order
}

// APIRoute is the types of one route.
type APIRoute struct {
	Doc    string  // the handler's doc comment, without its //kk: lines
	Params []Shape // one per Route.Args entry: the parameter's type
	Result *Shape  // the result value's type (T of kk.Response[T]), nil when there is none
}

// ShapeKind is the form of a Shape.
type ShapeKind int

const (
	BasicShape   ShapeKind = iota // a predeclared type (Basic)
	NamedShape                    // a named type (Type), declared in Types
	PointerShape                  // *Elem: null in JSON when nil
	SliceShape                    // []Elem
	ArrayShape                    // [Len]Elem
	MapShape                      // map[Key]Elem
	StructShape                   // an unnamed struct (Fields)
	AnyShape                      // interface{} or any: any JSON value
)

// Shape is a Go type as the clients write it and JSON carries it.
type Shape struct {
	Kind   ShapeKind
	Basic  string // for BasicShape: "string", "int64", "byte", "bool", ...
	Type   Type   // for NamedShape
	Elem   *Shape // for pointers, slices, arrays and maps
	Key    *Shape // for maps
	Len    int64  // for arrays
	Fields []ShapeField
}

// ShapeField is one field of a struct.
type ShapeField struct {
	Name      string // the Go field name
	Embedded  bool
	Type      Shape
	Tag       string // the struct tag, verbatim
	JSON      string // the JSON member name; "" when JSON skips the field (json:"-", unexported)
	OmitEmpty bool   // ,omitempty (or ,omitzero): the member may be missing
	Quoted    bool   // ,string: a number or bool carried as a JSON string
	Doc       string // the field's doc comment
}

// TypeDecl is a named type the API reaches.
type TypeDecl struct {
	Type       Type
	Local      bool   // declared in the server package: a Go client declares it, other types it imports
	Doc        string // the type's doc comment
	Underlying Shape  // the type's underlying type
	// How its values marshal, which decides their JSON and their text in a
	// path, query, header or form.
	MarshalJSON bool   // T or *T has MarshalJSON: its JSON is its own
	MarshalText bool   // T or *T has MarshalText (and no MarshalJSON): a JSON string
	TextPointer bool   // only *T has MarshalText
	Problem     string // why a client cannot declare this local type, or ""
}

// ConstDecl is a constant of a local named type, which the clients declare
// beside it (a Go const; a member of the type's union in TypeScript).
type ConstDecl struct {
	Name  string
	Type  Type
	Value string // the exact value as a Go literal: "3", "\"open\"", "1.5"
	Doc   string
}
