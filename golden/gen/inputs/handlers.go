// Package inputs covers input structs: fields bound from the path, the
// query, headers, cookies and form bodies by tag, defaults of every kind
// (TextUnmarshaler ones included), required fields reported together in
// one 422, Validate on value and pointer receivers, a struct shared by two
// routes, and an input struct next to a JSON body.
package inputs

import (
	"errors"
	"mime/multipart"
	"net/netip"
	"strings"

	kk "github.com/kommandkit/kk/runtime"
)

// Mode decodes from names, so its default goes through UnmarshalText.
type Mode int

func (m *Mode) UnmarshalText(b []byte) error {
	switch string(b) {
	case "fast":
		*m = 1
	case "safe":
		*m = 2
	default:
		return errors.New("want fast or safe")
	}
	return nil
}

type Level int16

// Defaults has a default for every kind of field.
type Defaults struct {
	S    string     `query:"s" default:"hello world"`
	B    bool       `query:"b" default:"true"`
	I    int        `query:"i" default:"-7"`
	I8   int8       `query:"i8" default:"-128"`
	U16  uint16     `query:"u16" default:"65535"`
	U64  uint64     `query:"u64" default:"18446744073709551615"`
	F32  float32    `query:"f32" default:"0.1"`
	F64  float64    `query:"f64" default:"1e-3"`
	L    Level      `query:"l" default:"300"`
	M    Mode       `query:"m" default:"safe"`
	Addr netip.Addr `query:"addr" default:"127.0.0.1"`
	P    *int       `query:"p" default:"42"`
	PM   *Mode      `query:"pm" default:"fast"`
	Raw  []byte     `query:"raw" default:"bytes"`
	H    string     `header:"X-Mode" default:"none"`
	C    int        `cookie:"n" default:"3"`
	None string     `query:"none"`
}

//kk:route GET /defaults
func GetDefaults(in Defaults) Defaults { return in }

// Account binds from everywhere but the body; keys default to the field
// name, and header names are case-insensitive.
type Account struct {
	Org     string   `path:"org"`
	ID      uint32   `path:"id"`
	Token   string   `header:"authorization,required"`
	Accept  []string `header:"Accept"`
	Trace   *string  `header:"x-trace-id"`
	Session string   `cookie:"session,required"`
	Theme   string   `cookie:"theme" default:"light"`
	Visits  int      `cookie:"visits"`
	Fields  []string `query:"field"`
	Limit   int      `query:"limit,required"`
	Verbose bool     `query:""`
	skip    string
}

// Validate has a value receiver.
func (a Account) Validate() error {
	if a.Limit > 100 {
		return kk.FieldErrors{{Field: "limit", In: "query", Message: "must be at most 100"}}
	}
	if a.Org == "forbidden" {
		return errors.New("org is closed")
	}
	return nil
}

//kk:route GET /orgs/:org/accounts/:id
func GetAccount(c *kk.Ctx, in Account) Account {
	c.Response.Header.Set("X-Skip", in.skip)
	return in
}

// Shared is used by two routes, which share one generated binder.
type Shared struct {
	Q string `query:"q,required"`
}

//kk:route GET /a
func A(in Shared) string { return "a:" + in.Q }

//kk:route GET /b
func B(in Shared, extra int) string { return "b:" + in.Q + ":" + itoa(extra) }

// Signup is a form: urlencoded or multipart, with files.
type Signup struct {
	Name    string                  `form:"name,required"`
	Email   string                  `form:"email,required"`
	Age     uint8                   `form:"age" default:"18"`
	Agree   bool                    `form:"agree"`
	Langs   []string                `form:"lang"`
	Note    []byte                  `form:"note"`
	Avatar  *multipart.FileHeader   `form:"avatar"`
	Files   []*multipart.FileHeader `form:"file"`
	Ref     string                  `query:"ref,required"`
	Origin  string                  `header:"Origin"`
	Invited *bool                   `form:"invited"`
}

// Validate has a pointer receiver.
func (s *Signup) Validate() error {
	var fe kk.FieldErrors
	if s.Name != "" && len(s.Name) < 2 {
		fe = append(fe, kk.FieldError{Field: "name", In: "form", Message: "too short"})
	}
	if s.Email != "" && !strings.Contains(s.Email, "@") {
		fe = append(fe, kk.FieldError{Field: "email", In: "form", Message: "not an address"})
	}
	if len(fe) > 0 {
		return fe
	}
	return nil
}

// Received summarizes a Signup.
type Received struct {
	Name, Email, Ref, Origin string
	Age                      uint8
	Agree                    bool
	Invited                  *bool
	Langs                    []string
	Note                     string
	Avatar                   string
	Files                    []string
}

//kk:route POST /signup
func PostSignup(in Signup) Received {
	r := Received{Name: in.Name, Email: in.Email, Ref: in.Ref, Origin: in.Origin, Age: in.Age, Agree: in.Agree,
		Invited: in.Invited, Langs: in.Langs, Note: string(in.Note)}
	if in.Avatar != nil {
		r.Avatar = in.Avatar.Filename + "/" + itoa(int(in.Avatar.Size))
	}
	for _, f := range in.Files {
		r.Files = append(r.Files, f.Filename+"/"+itoa(int(f.Size)))
	}
	return r
}

// Paging is a struct of query fields: no body, so it combines with one.
type Paging struct {
	DryRun bool `query:"dry_run"`
}

type Item struct {
	Name string `json:"name"`
}

//kk:route PUT /items/:id
func PutItem(id int, p Paging, in Item) string {
	if p.DryRun {
		return "would put " + itoa(id) + "=" + in.Name
	}
	return "put " + itoa(id) + "=" + in.Name
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// Batch has required slices: at least one non-empty value each.
type Batch struct {
	IDs   []uint   `query:"id,required"`
	Names []string `header:"X-Name,required"`
	Sizes []int    `cookie:"size"`
}

//kk:route GET /batch
func GetBatch(in Batch) Batch { return in }

// Avatar has a required file.
type Avatar struct {
	File *multipart.FileHeader `form:"file,required"`
}

//kk:route POST /avatar
func PostAvatar(in Avatar) string {
	if in.File == nil {
		return "no file"
	}
	return in.File.Filename
}
