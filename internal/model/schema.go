package model

// What the API document needs beyond what the router does: the JSON shape
// of every type a route reads or writes, doc comments, declared
// constraints and the security schemes middleware enforces. Check fills
// it in; internal/openapi renders it.

// SchemaKind is the JSON type of a Schema.
type SchemaKind int

const (
	AnySchema     SchemaKind = iota // any JSON value (interfaces, custom MarshalJSON)
	StringSchema                    // a JSON string
	IntegerSchema                   // a JSON integer
	NumberSchema                    // a JSON number
	BoolSchema                      // true or false
	ArraySchema                     // Items holds the element
	MapSchema                       // an object whose values are Items
	RefSchema                       // the named component Ref
)

// Schema is the JSON shape of one Go type.
type Schema struct {
	Kind     SchemaKind
	Format   string  // int32, int64, float, double, date-time, byte, binary, ...
	Ref      string  // for RefSchema: a key of Package.Schemas
	Items    *Schema // for ArraySchema and MapSchema
	Nullable bool    // a pointer, slice or map, which JSON may carry as null
	Minimum  string  // the bounds of a fixed-size integer, as JSON numbers ("" for none)
	Maximum  string
}

// NamedSchema is a component of the document: a struct type (Fields), or
// a named type with constants (Enum) whose shape is Base.
type NamedSchema struct {
	Name   string // the component's key
	GoName string // the type as its package names it, for descriptions
	Doc    string // the type's doc comment
	Object bool   // a struct: Fields; else Base and Enum
	Fields []SchemaField
	Base   Schema
	Enum   []string // JSON literals of the constants of the type, in source order
}

// SchemaField is one JSON member of a struct.
type SchemaField struct {
	Name        string // the JSON name
	Doc         string // the field's doc comment or doc:"..." tag
	Schema      Schema
	Required    bool // no omitempty or omitzero: always written
	Constraints Constraints
}

// Constraints are a field's declared constraint tags, checked against its
// type. The number and length bounds keep their source text, which is a
// JSON number.
type Constraints struct {
	Minimum, Maximum                   string
	ExclusiveMinimum, ExclusiveMaximum string
	MinLength, MaxLength               string
	MinItems, MaxItems                 string
	Pattern                            string
	Enum                               []string // JSON literals of the enum tag's values
	EnumGo                             []string // the allowed values as Go literals, which the binder compares: the enum tag's, else the constants of the field's type
	Format                             string
	Doc                                string
	Example                            string // a JSON literal
}

// Empty reports whether c declares nothing the binder enforces.
func (c Constraints) Empty() bool {
	return c.Minimum == "" && c.Maximum == "" && c.ExclusiveMinimum == "" && c.ExclusiveMaximum == "" &&
		c.MinLength == "" && c.MaxLength == "" && c.MinItems == "" && c.MaxItems == "" && c.Pattern == "" && len(c.EnumGo) == 0
}

// SecurityKind is the kind of scheme a //kk:security middleware enforces.
type SecurityKind int

const (
	BearerSecurity SecurityKind = iota
	BasicSecurity
	APIKeySecurity
)

// Security is a //kk:security annotation on a middleware.
type Security struct {
	Kind SecurityKind
	In   string // for an API key: header, query or cookie
	Key  string // for an API key: its name
	Doc  string // the middleware's doc comment
}

// Doc is the doc comment of a route's handler, split for the document.
type Doc struct {
	Summary     string // its first sentence
	Description string // all of it
}

// ValueKind is what a constraint check compares: the kind of Go value.
type ValueKind int

const (
	StringValue ValueKind = iota // a string or []byte: lengths, pattern, enum
	IntValue                     // a signed integer
	UintValue                    // an unsigned integer
	FloatValue                   // a float
	SliceValue                   // a slice or array: item counts
	OtherValue                   // enum only
)

// Checked is one field that carries constraints the binder enforces.
type Checked struct {
	Name        string    // the Go field name
	Key         string    // how field errors name it: the JSON name or the binding key
	In          string    // where it came from, for field errors ("" for a JSON body)
	Kind        ValueKind //
	Ptr         bool      // *T: checked only when not nil
	Slice       bool      // a slice or array: items bounded, each element checked
	Optional    bool      // an omitempty JSON field: checked only when not its zero value
	Nested      *Checks   // for a JSON field holding a struct (or *T, []T, []*T of one) with checks of its own
	Via         []Embed   // for a field promoted from embedded structs: the embedded fields, outermost first
	Constraints Constraints
}

// Embed is an embedded struct field a promoted field is reached through.
type Embed struct {
	Name string // the embedded field's name
	Ptr  bool   // *T: the promoted field is there only when it is not nil
}

// Collection says whether a JSON body is one struct or a collection of
// them, each element of which is checked.
type Collection int

const (
	OneValue  Collection = iota // the body is the struct (or *T)
	SliceOf                     // a slice or array of the struct (or of *T); field errors name [i].field
	StringMap                   // a map with string keys; field errors name [key].field
	IntMap                      // a map with integer keys
)

// Checks are the constraint checks of a JSON body's struct type, run after
// decoding and before Validate, and of the structs inside it.
type Checks struct {
	Type   Type
	Ptr    bool // the body (or, nested, the field or each item; or each element of a collection) is *T
	Fields []Checked
	Each   Collection // for a body: whether it is Type itself or a collection of it
}
