//kk:group /api use=Tag
package typed

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"strings"
	"time"

	kk "github.com/kommandkit/kk/runtime"
)

// Tag marks responses that went through the group's middleware.
func Tag(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		c.Response.Header.Add("X-Chain", "group")
		return next(c)
	}
}

// Audit is route middleware, a var.
var Audit kk.Middleware = func(next kk.Handler) kk.Handler {
	return func(c *kk.Ctx) error {
		c.Response.Header.Add("X-Chain", "audit:"+c.Route().Name)
		return next(c)
	}
}

//kk:route GET /items
func List(limit int, cursor *string, ids []int64, verbose bool) string {
	cur := "<nil>"
	if cursor != nil {
		cur = *cursor
	}
	var b strings.Builder
	for _, id := range ids {
		b.WriteString(" ")
		b.WriteString(time.Duration(id).String())
	}
	return strings.Join([]string{itoa(limit), cur, b.String(), map[bool]string{true: "v", false: "q"}[verbose]}, "|")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Search is an input struct.
type Search struct {
	Org     string   `path:"org"`
	Q       string   `query:"q,required"`
	Page    int      `query:"page" default:"1"`
	Size    *uint8   `query:"size"`
	Tags    []string `query:"tag"`
	Lang    string   `header:"Accept-Language" default:"en"`
	Session string   `cookie:"session"`
}

// Validate rejects oversized pages.
func (s Search) Validate() error {
	if s.Page > 100 {
		return kk.FieldErrors{{Field: "page", In: "query", Message: "must be at most 100"}}
	}
	return nil
}

//kk:route GET /orgs/:org/search
//kk:use Audit
func Find(in Search) Search { return in }

// NewUser is a JSON body.
type NewUser struct {
	Name string `json:"name"`
	Age  int    `json:"age"`
}

func (u *NewUser) Validate() error {
	if u.Name == "" {
		return errors.New("name is required")
	}
	return nil
}

type User struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Age  int    `json:"age"`
}

//kk:route POST /orgs/:org/users 201
func Create(c *kk.Ctx, org string, in NewUser) (User, error) {
	c.Response.Header.Set("Location", "/api/orgs/"+org+"/users/7")
	return User{ID: 7, Name: in.Name, Age: in.Age}, nil
}

//kk:route PUT /blobs/:name
func Put(name string, body []byte) string { return name + ":" + string(body) }

//kk:route POST /upper
func Upper(body io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	return strings.NewReader(strings.ToUpper(string(b))), nil
}

// Upload binds a multipart or urlencoded form.
type Upload struct {
	Title string                `form:"title,required"`
	Count int                   `form:"count" default:"3"`
	File  *multipart.FileHeader `form:"file"`
}

//kk:route POST /uploads
func Receive(in Upload) kk.Response[string] {
	name := "-"
	if in.File != nil {
		name = in.File.Filename
	}
	return kk.Response[string]{Status: 202, Header: map[string]string{"X-Count": itoa(in.Count)}, Body: in.Title + ":" + name}
}

//kk:route GET /old
func Old(c *kk.Ctx) error { return kk.Redirect(c, "/api/items", 301) }

//kk:route GET /slow/:ms
//kk:timeout 200ms
func Slow(ctx context.Context, ms int) (string, error) {
	select {
	case <-time.After(time.Duration(ms) * time.Millisecond):
		return "done", nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

//kk:route DELETE /things
//kk:allowbody
func Purge(ids []int) int { return len(ids) }
