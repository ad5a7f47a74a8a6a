package kk

import (
	"bytes"
	"mime/multipart"
)

// In says where in a request a parameter is read from. Generated code
// passes it to the decoders so that error messages name the place.
type In uint8

const (
	InPath   In = iota // a :name or *name segment
	InQuery            // a query-string key
	InHeader           // a request header
	InCookie           // a request cookie
	InForm             // a field of a urlencoded or multipart form body
	InBody             // the request body
)

var inNames = [...]string{"path parameter", "query parameter", "header", "cookie", "form field", "body"}

func (in In) String() string {
	if int(in) < len(inNames) {
		return inNames[in]
	}
	return "parameter"
}

// formValues reads a urlencoded or multipart form field. A body of any
// other type has no fields; generated code checks the type first and
// answers 415.
func formValues(c *Ctx, key string) [][]byte {
	if isMultipart(c) {
		f, err := c.MultipartForm()
		if err != nil || f == nil {
			return nil
		}
		vs := f.Value[key]
		out := make([][]byte, len(vs))
		for i, v := range vs {
			out[i] = []byte(v)
		}
		return out
	}
	return c.PostArgs().PeekMulti(key)
}

func isMultipart(c *Ctx) bool {
	return bytes.HasPrefix(c.Request.Header.ContentType(), []byte("multipart/form-data"))
}

// FormFile is the first file uploaded under key in a multipart form, or
// nil when there is none.
func FormFile(c *Ctx, key string) *multipart.FileHeader {
	if fs := FormFiles(c, key); len(fs) > 0 {
		return fs[0]
	}
	return nil
}

// FormFiles is every file uploaded under key in a multipart form.
func FormFiles(c *Ctx, key string) []*multipart.FileHeader {
	if !isMultipart(c) {
		return nil
	}
	f, err := c.MultipartForm()
	if err != nil || f == nil {
		return nil
	}
	return f.File[key]
}
