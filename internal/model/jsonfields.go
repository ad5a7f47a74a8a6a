package model

import (
	"reflect"
	"slices"
	"strings"
)

// The members of a JSON object written from a Go struct, by encoding/json's
// rules: fields of embedded structs without a JSON name are promoted;
// of several fields with one JSON name, those at the shallowest depth
// win, and of those a single tagged one; any other tie drops them all.
// check (the document's schemas and the body checks) and the TypeScript
// client both list members here, each over its own view of the types, so
// the document, the checks and the clients agree with encoding/json and
// with each other.

// StructField is one field of a struct, described for JSONMembers. S
// identifies a struct type (the same S for the same type); F is the
// caller's own handle on the field.
type StructField[S comparable, F any] struct {
	Field    F
	Name     string // the Go field name
	Tag      string // the raw struct tag
	Exported bool
	Embedded bool
	// Struct is, for a field whose type is a struct or a pointer to one,
	// that struct, whose fields JSONMembers lists when the field is
	// embedded without a JSON name.
	Struct   S
	IsStruct bool
}

// JSONMember is one member of the JSON object.
type JSONMember[F any] struct {
	Name   string // the JSON name
	Tagged bool   // the name is the json tag's
	Path   []F    // the embedded fields leading to the field, then the field
	index  []int
}

// Field is the member's own field, the last of its path.
func (m JSONMember[F]) Field() F { return m.Path[len(m.Path)-1] }

// JSONMembers lists the members of the JSON object encoding/json writes for
// a struct with the fields root, in the order it writes them; fields
// returns the fields of an embedded struct. A struct type is entered once,
// at the shallowest depth it is embedded at.
func JSONMembers[S comparable, F any](root []StructField[S, F], fields func(S) []StructField[S, F]) []JSONMember[F] {
	type level struct {
		fields []StructField[S, F]
		path   []F
		index  []int
		twice  bool // the struct is embedded more than once at its depth: its fields cancel out
	}
	type embed struct {
		s     S
		path  []F
		index []int
	}
	var all []JSONMember[F]
	visited := map[S]bool{}
	current := []level{{fields: root}}
	for len(current) > 0 {
		var next []embed
		count := map[S]int{}
		for _, lv := range current {
			for i, f := range lv.fields {
				if !f.Exported && !(f.Embedded && f.IsStruct) {
					continue
				}
				tag := reflect.StructTag(f.Tag).Get("json")
				if tag == "-" {
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				path := append(slices.Clip(lv.path), f.Field)
				index := append(slices.Clip(lv.index), i)
				if name != "" || !f.Embedded || !f.IsStruct {
					m := JSONMember[F]{Name: name, Tagged: name != "", Path: path, index: index}
					if name == "" {
						m.Name = f.Name
					}
					all = append(all, m)
					if lv.twice {
						all = append(all, m)
					}
					continue
				}
				count[f.Struct]++
				if count[f.Struct] == 1 {
					next = append(next, embed{f.Struct, path, index})
				}
			}
		}
		current = nil
		for _, e := range next {
			if visited[e.s] {
				continue
			}
			visited[e.s] = true
			current = append(current, level{fields: fields(e.s), path: e.path, index: e.index, twice: count[e.s] > 1})
		}
	}
	return dominant(all)
}

// dominant keeps, of the members sharing a JSON name, the one at the
// shallowest depth, or of several there the single tagged one, and drops
// the name when that leaves a tie; the members are returned in the order
// of their fields.
func dominant[F any](all []JSONMember[F]) []JSONMember[F] {
	slices.SortStableFunc(all, func(a, b JSONMember[F]) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		if c := len(a.index) - len(b.index); c != 0 {
			return c
		}
		if a.Tagged != b.Tagged {
			if a.Tagged {
				return -1
			}
			return 1
		}
		return slices.Compare(a.index, b.index)
	})
	var out []JSONMember[F]
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].Name == all[i].Name {
			j++
		}
		if j-i == 1 || len(all[i].index) != len(all[i+1].index) || all[i].Tagged != all[i+1].Tagged {
			out = append(out, all[i])
		}
		i = j
	}
	slices.SortFunc(out, func(a, b JSONMember[F]) int { return slices.Compare(a.index, b.index) })
	return out
}
