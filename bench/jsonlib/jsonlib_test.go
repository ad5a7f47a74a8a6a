package jsonlib

import (
	"encoding/json"
	"testing"
	"time"

	gojson "github.com/goccy/go-json"
	segjson "github.com/segmentio/encoding/json"
)

type Todo struct {
	ID       uint32    `json:"id"`
	Title    string    `json:"title"`
	Done     bool      `json:"done"`
	Priority int8      `json:"priority"`
	Estimate float32   `json:"estimate"`
	Tags     []string  `json:"tags"`
	Created  time.Time `json:"created"`
}

type NewUser struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

var todos = func() []Todo {
	t := make([]Todo, 20)
	for i := range t {
		t[i] = Todo{ID: uint32(i), Title: "write the benchmarks section", Priority: 3, Estimate: 1.5, Tags: []string{"docs", "perf"}, Created: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	}
	return t
}()
var small = []byte(`{"name":"ann","email":"ann@example.com"}`)

func BenchmarkEncodeTodos(b *testing.B) {
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			json.Marshal(todos)
		}
	})
	b.Run("goccy_go-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			gojson.Marshal(todos)
		}
	})
	b.Run("segmentio", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			segjson.Marshal(todos)
		}
	})
}
func BenchmarkEncodeTodo(b *testing.B) {
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			json.Marshal(todos[0])
		}
	})
	b.Run("goccy_go-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			gojson.Marshal(todos[0])
		}
	})
	b.Run("segmentio", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			segjson.Marshal(todos[0])
		}
	})
}
func BenchmarkDecodeNewUser(b *testing.B) {
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var u NewUser
			json.Unmarshal(small, &u)
		}
	})
	b.Run("goccy_go-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var u NewUser
			gojson.Unmarshal(small, &u)
		}
	})
	b.Run("segmentio", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var u NewUser
			segjson.Unmarshal(small, &u)
		}
	})
}
