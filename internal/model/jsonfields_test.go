package model

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// reflectFields describes a struct type's fields to JSONMembers.
func reflectFields(t reflect.Type) []StructField[reflect.Type, reflect.StructField] {
	var out []StructField[reflect.Type, reflect.StructField]
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		sf := StructField[reflect.Type, reflect.StructField]{Field: f, Name: f.Name, Tag: string(f.Tag), Exported: f.IsExported(), Embedded: f.Anonymous}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			sf.Struct, sf.IsStruct = ft, true
		}
		out = append(out, sf)
	}
	return out
}

type promC struct{ X int }
type promA struct{ promC }
type promB struct {
	X string
	Y int
}
type promConflict struct {
	promA
	*promB
}

type promTag1 struct {
	Z int `json:"z"`
}
type promTag2 struct{ Z int }
type promTagged struct {
	promTag1
	promTag2
}

type promTie1 struct{ W int }
type promTie2 struct{ W int }
type promTie struct {
	promTie1
	promTie2
	V int `json:"v,omitempty"`
}

type promTwice struct {
	promA
	Inner struct{ promC } `json:"-"`
	promD
}
type promD struct{ promC }

type promOwn struct {
	promB
	X     bool `json:"X"`
	Named promC
	Skip  int `json:"-"`
	//lint:ignore SA5008 the member named "-" is what this field covers
	Dash int `json:"-,"`
	low  int
}

// TestJSONMembers: the members listed are the keys encoding/json writes,
// in its order, for every promotion rule.
func TestJSONMembers(t *testing.T) {
	for _, v := range []any{
		promConflict{promA{promC{1}}, &promB{"b", 2}},
		promTagged{}, promTie{V: 1}, promTwice{}, promOwn{low: 1},
	} {
		typ := reflect.TypeOf(v)
		var got []string
		for _, m := range JSONMembers(reflectFields(typ), reflectFields) {
			got = append(got, m.Name)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		want := jsonKeys(t, b)
		if !slices.Equal(got, want) {
			t.Errorf("%s: members %q; encoding/json writes %q", typ, got, want)
		}
	}
}

// jsonKeys are an object's keys in the order written.
func jsonKeys(t *testing.T, b []byte) []string {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	var keys []string
	depth := 0
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok := tok.(type) {
		case json.Delim:
			if tok == '{' || tok == '[' {
				depth++
			} else {
				depth--
			}
			expectKey = depth == 1 // after the object's opening or a nested value
			continue
		case string:
			if depth == 1 && expectKey {
				keys = append(keys, tok)
				expectKey = false
				continue
			}
		}
		if depth == 1 {
			expectKey = true
		}
	}
	return keys
}
