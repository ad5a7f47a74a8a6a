package kk

// BodySizes is the size of the request's and the response's body as far as
// it is known without reading a stream, for metrics and access logs that
// run after the chain has returned. A body held in memory counts its
// bytes; a body stream (an io.Reader result, a large static file, a
// streamed upload) counts its Content-Length, or -1 when none was given.
// A stream is never read here: reading it would buffer the whole body in
// memory and take it from its reader (Request.Body and Response.Body do,
// in fasthttp).
func BodySizes(c *Ctx) (req, resp int64) {
	return requestBodySize(c), responseBodySize(c)
}

func requestBodySize(c *Ctx) int64 {
	if c.Request.IsBodyStream() {
		return max(int64(c.Request.Header.ContentLength()), -1)
	}
	return int64(len(c.Request.Body()))
}

func responseBodySize(c *Ctx) int64 {
	if c.Response.IsBodyStream() {
		return max(int64(c.Response.Header.ContentLength()), -1)
	}
	return int64(len(c.Response.Body()))
}
