package openapi

import (
	"encoding/json"
	"strconv"

	"github.com/kommandkit/kk/internal/model"
)

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

// schema renders a type's shape. A nullable value is a type array in 3.1
// and 3.2 ("null" added) and nullable: true in 3.0; a nullable reference
// is anyOf the component and null, or in 3.0 allOf it with nullable.
func (d *doc) schema(s model.Schema) obj {
	if s.Kind == model.RefSchema {
		if !s.Nullable {
			return ref(s.Ref)
		}
		if d.v30 {
			// 3.0.3's nullable takes effect only beside a type.
			return obj{"type": d.refType(s.Ref), "allOf": []any{ref(s.Ref)}, "nullable": true}
		}
		return obj{"anyOf": []any{ref(s.Ref), obj{"type": "null"}}}
	}
	out := obj{}
	typ := ""
	switch s.Kind {
	case model.StringSchema:
		typ = "string"
	case model.IntegerSchema:
		typ = "integer"
	case model.NumberSchema:
		typ = "number"
	case model.BoolSchema:
		typ = "boolean"
	case model.ArraySchema:
		typ = "array"
		out["items"] = d.schema(*s.Items)
	case model.MapSchema:
		typ = "object"
		out["additionalProperties"] = d.schema(*s.Items)
	}
	if s.Format != "" {
		out["format"] = s.Format
	}
	if s.Minimum != "" {
		out["minimum"] = json.RawMessage(s.Minimum)
	}
	if s.Maximum != "" {
		out["maximum"] = json.RawMessage(s.Maximum)
	}
	switch {
	case typ == "":
		// any value (3.0's nullable needs a type beside it)
	case s.Nullable && d.v30:
		out["type"], out["nullable"] = typ, true
	case s.Nullable:
		out["type"] = []any{typ, "null"}
	default:
		out["type"] = typ
	}
	return out
}

// fieldSchema is a field's shape with its declared constraints and doc.
// On an array, minItems and maxItems bound it and the rest apply to each
// item.
func (d *doc) fieldSchema(s model.Schema, c model.Constraints, doc string) obj {
	base := d.schema(s)
	if s.Kind == model.ArraySchema {
		items := d.constrain(d.schema(*s.Items), c, s.Items.Kind == model.RefSchema)
		base["items"] = items
		setNum(base, "minItems", c.MinItems)
		setNum(base, "maxItems", c.MaxItems)
		if c.Example != "" {
			d.example(base, c.Example)
		}
	} else {
		base = d.constrain(base, c, s.Kind == model.RefSchema)
		if c.Example != "" {
			d.example(base, c.Example)
		}
	}
	if c.Format != "" {
		base = d.wrapRef(base) // 3.0 ignores a $ref's siblings
		base["format"] = c.Format
	}
	if doc != "" {
		base = d.wrapRef(base)
		base["description"] = doc
	}
	return base
}

// constrain adds the value constraints of c to s.
func (d *doc) constrain(s obj, c model.Constraints, isRef bool) obj {
	if c.Minimum == "" && c.Maximum == "" && c.ExclusiveMinimum == "" && c.ExclusiveMaximum == "" && c.MinLength == "" && c.MaxLength == "" && c.Pattern == "" && len(c.Enum) == 0 {
		return s
	}
	if isRef {
		s = d.wrapRef(s)
	}
	setNum(s, "minimum", c.Minimum)
	setNum(s, "maximum", c.Maximum)
	if d.v30 {
		// 3.0's exclusive bounds are flags on minimum and maximum: an
		// exclusive bound replaces the inclusive one only when it is at
		// least as tight, else the inclusive one already implies it.
		if c.ExclusiveMinimum != "" && (c.Minimum == "" || !less(c.ExclusiveMinimum, c.Minimum)) {
			s["minimum"], s["exclusiveMinimum"] = json.RawMessage(c.ExclusiveMinimum), true
		}
		if c.ExclusiveMaximum != "" && (c.Maximum == "" || !less(c.Maximum, c.ExclusiveMaximum)) {
			s["maximum"], s["exclusiveMaximum"] = json.RawMessage(c.ExclusiveMaximum), true
		}
	} else {
		setNum(s, "exclusiveMinimum", c.ExclusiveMinimum)
		setNum(s, "exclusiveMaximum", c.ExclusiveMaximum)
	}
	setNum(s, "minLength", c.MinLength)
	setNum(s, "maxLength", c.MaxLength)
	if c.Pattern != "" {
		s["pattern"] = c.Pattern
	}
	if len(c.Enum) > 0 {
		var e []any
		for _, v := range c.Enum {
			e = append(e, json.RawMessage(v))
		}
		s["enum"] = e
	}
	return s
}

// less compares two JSON numbers.
func less(a, b string) bool {
	x, _ := strconv.ParseFloat(a, 64)
	y, _ := strconv.ParseFloat(b, 64)
	return x < y
}

// wrapRef puts a bare $ref under allOf, so that siblings added to it take
// effect in 3.0 too.
func (d *doc) wrapRef(s obj) obj {
	if r, ok := s["$ref"]; ok && len(s) == 1 {
		return obj{"allOf": []any{obj{"$ref": r}}}
	}
	return s
}

func (d *doc) example(s obj, lit string) {
	if d.v30 {
		s["example"] = json.RawMessage(lit)
	} else {
		s["examples"] = []any{json.RawMessage(lit)}
	}
}

func setNum(s obj, key, v string) {
	if v != "" {
		s[key] = json.RawMessage(v)
	}
}

// components holds the package's types, the problem body and the security
// schemes.
func (d *doc) components() obj {
	schemas := obj{
		"Problem": obj{
			"type":        "object",
			"description": "An RFC 9457 problem details body, as kk writes every error answer",
			"properties": obj{
				"type":   obj{"type": "string"},
				"title":  obj{"type": "string"},
				"status": obj{"type": "integer"},
				"detail": obj{"type": "string"},
				"errors": obj{"type": "array", "items": ref("FieldError"), "description": "each invalid field, for a 422"},
			},
			"required": []any{"type", "title", "status"},
		},
		"FieldError": obj{
			"type":        "object",
			"description": "One invalid input: which field, where it came from and what is wrong with it",
			"properties": obj{
				"field":   obj{"type": "string"},
				"in":      obj{"type": "string", "description": "path, query, header, cookie or form; absent for the body"},
				"message": obj{"type": "string"},
			},
			"required": []any{"field", "message"},
		},
	}
	for _, ns := range d.m.Schemas {
		schemas[ns.Name] = d.named(ns)
	}
	out := obj{"schemas": schemas}
	if len(d.m.Security) > 0 {
		schemes := obj{}
		for name, s := range d.m.Security {
			sc := obj{}
			switch s.Kind {
			case model.BearerSecurity:
				sc["type"], sc["scheme"] = "http", "bearer"
			case model.BasicSecurity:
				sc["type"], sc["scheme"] = "http", "basic"
			case model.APIKeySecurity:
				sc["type"], sc["in"], sc["name"] = "apiKey", s.In, s.Key
			}
			if s.Doc != "" {
				sc["description"] = s.Doc
			}
			schemes[name] = sc
		}
		out["securitySchemes"] = schemes
	}
	return out
}

// named renders a component: an object with its fields, or a type with
// its constants as the enum.
func (d *doc) named(ns model.NamedSchema) obj {
	var out obj
	if !ns.Object {
		out = d.schema(ns.Base)
		var e []any
		for _, v := range ns.Enum {
			e = append(e, json.RawMessage(v))
		}
		out["enum"] = e
	} else {
		props := obj{}
		required := []any{}
		for _, f := range ns.Fields {
			props[f.Name] = d.fieldSchema(f.Schema, f.Constraints, f.Doc)
			if f.Required {
				required = append(required, f.Name)
			}
		}
		out = obj{"type": "object", "properties": props}
		if len(required) > 0 {
			out["required"] = required
		}
	}
	if ns.Doc != "" {
		out["description"] = ns.Doc
	}
	return out
}

// refType is the JSON type of the component name.
func (d *doc) refType(name string) string {
	for _, ns := range d.m.Schemas {
		if ns.Name == name && !ns.Object {
			if t, ok := d.schema(ns.Base)["type"].(string); ok {
				return t
			}
		}
	}
	return "object"
}
