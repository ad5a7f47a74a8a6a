// Package apidoc covers the OpenAPI document: doc comments, enums from
// constants, nullable pointers, times, parameters from every source,
// bodies of every kind, error statuses, body limits, security from the
// middleware that wraps a route, event streams and WebSockets, and the
// declared constraints the binder enforces.
package apidoc

import (
	"errors"
	"io"
	"mime/multipart"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// Status is where a pet is in its life with the shop.
type Status string

// The statuses a pet can have.
const (
	Available Status = "available"
	Pending   Status = "pending"
	Sold      Status = "sold"
)

// Size is a pet's size class.
type Size int

const (
	Small Size = iota + 1
	Medium
	Large
)

// Pet is one animal in the shop.
type Pet struct {
	ID     int64  `json:"id"`
	Name   string `json:"name" minLength:"1" maxLength:"40" example:"Rex"`
	Status Status `json:"status"`
	Size   Size   `json:"size,omitempty"`
	// Owner is who bought the pet, if anyone has.
	Owner *Owner    `json:"owner"`
	Born  time.Time `json:"born"`
	// Weight in kilograms.
	Weight *float64          `json:"weight,omitempty" exclusiveMinimum:"0" maximum:"500"`
	Tags   []string          `json:"tags,omitempty" maxItems:"5" pattern:"^[a-z]+$"`
	Extra  map[string]string `json:"extra,omitempty"`
	secret string            // unexported: not in the document
}

// Secret keeps staticcheck from calling Pet.secret unused.
func (p Pet) Secret() string { return p.secret }

// Owner is a person who bought a pet.
type Owner struct {
	Name  string `json:"name" minLength:"2"`
	Email string `json:"email" format:"email" doc:"Where the shop writes to."`
}

// NewPet is the body of POST /pets.
type NewPet struct {
	Name   string   `json:"name" minLength:"1" maxLength:"40"`
	Status Status   `json:"status"`
	Age    int      `json:"age" minimum:"0" maximum:"100"`
	Tags   []string `json:"tags,omitempty" minItems:"1" maxItems:"3" enum:"cute,loud,calm"`
	Owner  *Owner   `json:"owner,omitempty"`
	Toys   []Toy    `json:"toys,omitempty"`
}

// Toy is something a pet plays with; its constraints hold wherever it is.
type Toy struct {
	Name  string `json:"name" minLength:"1" maxLength:"10"`
	Parts []Toy  `json:"parts,omitempty" maxItems:"2"`
}

// Validate runs after the declared constraints.
func (p NewPet) Validate() error {
	if p.Name == "nobody" {
		return kk.FieldErrors{{Field: "name", Message: "is reserved"}}
	}
	return nil
}

// ListParams are the filters of GET /pets.
type ListParams struct {
	// Status keeps only pets with this status.
	Status Status `query:"status"`
	Limit  int    `query:"limit" default:"20" minimum:"1" maximum:"100"`
	Name   string `query:"name" pattern:"^[A-Za-z ]*$" maxLength:"10"`
	Tags   []int  `query:"tag" maxItems:"3" minimum:"1"`
	Trace  string `header:"X-Trace"`
	Sess   string `cookie:"session"`
}

// Photo is an upload form.
type Photo struct {
	Caption string                `form:"caption" maxLength:"20"`
	File    *multipart.FileHeader `form:"file,required"`
}

// ErrNotFound answers 404.
//
//kk:error 404
var ErrNotFound = errors.New("not found")

// ErrConflict answers 409.
//
//kk:error 409
var ErrConflict = errors.New("conflict")

// Bearer checks the Authorization header.
//
//kk:security bearer
func Bearer(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		if string(c.Request.Header.Peek("Authorization")) != "Bearer good" {
			return kk.Error(401, "no token")
		}
		return next(c)
	}
}

// Key checks the X-API-Key header.
//
//kk:security apikey header X-API-Key
var Key kk.Middleware = func(next kk.Handler) kk.Handler { return next }

// Logger wraps routes without enforcing anything.
func Logger(next kk.Handler) kk.Handler { return next }

// ListPets lists the pets.
//
// It filters by status and pages by limit.
//
//kk:route GET /pets
//kk:use Logger
func ListPets(p ListParams) []Pet { return nil }

// GetPet is one pet by its id.
//
//kk:route GET /pets/:id
func GetPet(id int64) (Pet, error) {
	if id != 1 {
		return Pet{}, ErrNotFound
	}
	return Pet{ID: 1, Name: "Rex", Status: Available}, nil
}

// AddPet adds a pet.
//
//kk:route POST /pets 201
//kk:use Logger Bearer
//kk:bodylimit 64KiB
func AddPet(p NewPet) (Pet, error) {
	return Pet{ID: 2, Name: p.Name, Status: p.Status}, nil
}

// DeletePet removes a pet.
//
//kk:route DELETE /pets/:id
//kk:use Key
//kk:timeout 2s
func DeletePet(id int64) error { return nil }

// UploadPhoto stores a photo.
//
//kk:route POST /pets/:id/photo
func UploadPhoto(id int64, p Photo) string { return p.Caption }

// Raw takes bytes.
//
//kk:route PUT /pets/:id/raw
func Raw(id int64, body io.Reader) ([]byte, error) { return io.ReadAll(body) }

// Events streams what happens in the shop.
//
//kk:route GET /events
func Events(es *kk.EventStream) error { return es.Send(kk.Event{Data: "hi"}) }

// Chat is a WebSocket.
//
//kk:route GET /chat/:room
//kk:use Bearer
func Chat(room string, ws *kk.WebSocket) error { return ws.WriteText(room) }

// Sizes are the size classes.
//
//kk:route GET /sizes
func Sizes() map[string]Size { return nil }

// Watch streams the changes to the pets of one status.
//
//kk:route GET /pets/watch
//kk:use Bearer
func Watch(status Status, es *kk.EventStream) error {
	return es.Send(kk.Event{Event: "change", Data: string(status)})
}
