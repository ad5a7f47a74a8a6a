// Package support is the part of every generated Go client that is the
// same for every API: the Client, its options, requests with retries, the
// *Error of an error answer, event streams and WebSocket connections. kkgen
// copies these files into the client package it writes (renaming the
// package), so a client depends on the standard library only. It is a
// package of its own so that it compiles and is tested here.
package support

import (
	"bytes"
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// transport is what a generated Client sends its requests with: the base
// URL and the options. It is safe for concurrent use.
type transport struct {
	base      string // without a trailing slash
	hc        *http.Client
	editors   []RequestEditor
	retries   int
	backoff   time.Duration
	reconnect time.Duration
}

// Option configures a Client.
type Option func(*transport)

// RequestEditor changes every request before it is sent, for example to
// add an Authorization header. An error stops the call and is returned.
type RequestEditor func(ctx context.Context, req *http.Request) error

// WithHTTPClient sends requests with hc instead of http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option { return func(c *transport) { c.hc = hc } }

// WithRequestEditor adds an editor that every request goes through, in the
// order they were added.
func WithRequestEditor(fn RequestEditor) Option {
	return func(c *transport) { c.editors = append(c.editors, fn) }
}

// WithBearerToken sends "Authorization: Bearer token" with every request.
func WithBearerToken(token string) Option {
	return WithRequestEditor(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	})
}

// WithRetries retries an idempotent request (GET, HEAD, PUT, DELETE,
// OPTIONS, TRACE) whose body can be sent again up to n more times, when
// the connection fails or the answer is 408, 429, 502, 503 or 504. It
// waits backoff before the first retry and twice as long before each next
// one (with up to a quarter of random jitter), or what the answer's
// Retry-After says. The call's context bounds the whole. Requests are not
// retried unless this option is given.
func WithRetries(n int, backoff time.Duration) Option {
	return func(c *transport) { c.retries, c.backoff = n, backoff }
}

// WithReconnectDelay is how long an event stream waits before it
// reconnects, until the server says otherwise with a retry field. The
// default is one second.
func WithReconnectDelay(d time.Duration) Option { return func(c *transport) { c.reconnect = d } }

// newTransport is the transport of a client of the API at baseURL.
func newTransport(baseURL string, opts []Option) *transport {
	c := &transport{base: strings.TrimSuffix(baseURL, "/"), hc: http.DefaultClient, reconnect: time.Second}
	for _, o := range opts {
		o(c)
	}
	return c
}

// request is one call being built by a generated method.
type request struct {
	method      string
	path        string // escaped
	query       url.Values
	header      http.Header
	form        url.Values
	body        []byte // JSON, bytes or the encoded form; sent again on a retry
	stream      io.Reader
	contentType string
	err         error // the first problem building it, returned by the call
}

// newRequest starts a request; the generated method sets its path next.
func newRequest(method string) *request {
	return &request{method: method, query: url.Values{}, header: http.Header{}}
}

// fail records the first problem building the request.
func (r *request) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// param escapes one path parameter's value as a single segment. kk never
// lets an escape become a separator or a dot segment, so a value that is
// empty, holds a slash or is a dot segment cannot be sent as one: it is
// an error before anything is sent.
func (r *request) param(name, v string) string {
	switch {
	case v == "":
		r.fail(errors.New("path parameter " + name + " is empty"))
	case strings.Contains(v, "/"):
		r.fail(errors.New("path parameter " + name + " contains a slash, which cannot be sent as one segment"))
	case v == "." || v == "..":
		r.fail(errors.New("path parameter " + name + " is a dot segment, which cannot be sent as one"))
	}
	return url.PathEscape(v)
}

// rest escapes a catch-all parameter's value: each segment, keeping the
// slashes between them. A dot segment is an error, as for param.
func (r *request) rest(name, v string) string {
	segs := strings.Split(v, "/")
	for i, s := range segs {
		if s == "." || s == ".." {
			r.fail(errors.New("path parameter " + name + " has a dot segment, which cannot be sent as one"))
		}
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// text is v's MarshalText, recording its error.
func (r *request) text(v encoding.TextMarshaler) string {
	b, err := v.MarshalText()
	if err != nil {
		r.fail(err)
	}
	return string(b)
}

// cookie adds a cookie to the request.
func (r *request) cookie(name, value string) {
	r.header.Add("Cookie", (&http.Cookie{Name: name, Value: value}).String())
}

// formValue adds a urlencoded form field; the form becomes the body.
func (r *request) formValue(key, value string) {
	if r.form == nil {
		r.form = url.Values{}
	}
	r.form.Add(key, value)
}

// json makes v the JSON body.
func (r *request) json(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		r.fail(err)
	}
	r.body, r.contentType = b, "application/json"
}

// bytes makes b the body, as application/octet-stream.
func (r *request) bytes(b []byte) {
	r.body, r.contentType = b, "application/octet-stream"
	if b == nil {
		r.body = []byte{}
	}
}

// streamBody sends what rd reads as the body, as it reads it. Such a
// request is never retried.
func (r *request) streamBody(rd io.Reader) {
	r.stream, r.contentType = rd, "application/octet-stream"
}

// httpRequest builds the *http.Request for one attempt.
func (c *transport) httpRequest(ctx context.Context, rq *request) (*http.Request, error) {
	u := c.base + rq.path
	if len(rq.query) > 0 {
		u += "?" + rq.query.Encode()
	}
	var body io.Reader
	switch {
	case rq.stream != nil:
		body = rq.stream
	case rq.form != nil:
		rq.body, rq.contentType, rq.form = []byte(rq.form.Encode()), "application/x-www-form-urlencoded", nil
		body = bytes.NewReader(rq.body)
	case rq.body != nil:
		body = bytes.NewReader(rq.body)
	}
	req, err := http.NewRequestWithContext(ctx, rq.method, u, body)
	if err != nil {
		return nil, err
	}
	for k, vs := range rq.header {
		req.Header[k] = append([]string(nil), vs...)
	}
	if rq.contentType != "" {
		req.Header.Set("Content-Type", rq.contentType)
	}
	for _, ed := range c.editors {
		if err := ed(ctx, req); err != nil {
			return nil, err
		}
	}
	return req, nil
}

// send sends rq, retrying as the options allow, and returns a 2xx answer,
// or an *Error for any other.
func (c *transport) send(ctx context.Context, rq *request) (*http.Response, error) {
	if rq.err != nil {
		return nil, rq.err
	}
	for attempt := 0; ; attempt++ {
		req, err := c.httpRequest(ctx, rq)
		if err != nil {
			return nil, err
		}
		resp, err := c.hc.Do(req)
		if !c.retry(ctx, rq, attempt, resp, err) {
			if err != nil {
				return nil, err
			}
			if resp.StatusCode < 200 || resp.StatusCode > 299 {
				return nil, errorOf(resp)
			}
			return resp, nil
		}
		wait := c.wait(attempt, resp)
		if resp != nil {
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// idempotent methods may be sent again (RFC 9110, 9.2.2).
var idempotent = map[string]bool{"GET": true, "HEAD": true, "PUT": true, "DELETE": true, "OPTIONS": true, "TRACE": true}

// retry says whether to send the request again after this attempt.
func (c *transport) retry(ctx context.Context, rq *request, attempt int, resp *http.Response, err error) bool {
	if attempt >= c.retries || !idempotent[rq.method] || rq.stream != nil || ctx.Err() != nil {
		return false
	}
	if err != nil {
		return true
	}
	switch resp.StatusCode {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// wait is how long to wait before the next attempt: the answer's
// Retry-After (seconds or an HTTP date), else the backoff.
func (c *transport) wait(attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if ra := resp.Header.Get("Retry-After"); ra != "" {
			if s, err := strconv.Atoi(ra); err == nil && s >= 0 {
				return time.Duration(s) * time.Second
			}
			if t, err := http.ParseTime(ra); err == nil {
				return max(time.Until(t), 0)
			}
		}
	}
	d := c.backoff << min(attempt, 16)
	if d > 0 {
		d += rand.N(d/4 + 1)
	}
	return d
}

// none sends rq and discards the answer's body.
func (c *transport) none(ctx context.Context, rq *request) error {
	resp, err := c.send(ctx, rq)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// decodeJSON sends rq and decodes the answer's JSON into out.
func (c *transport) decodeJSON(ctx context.Context, rq *request, out any) error {
	resp, err := c.send(ctx, rq)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNoContent {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// readAll sends rq and returns the answer's body.
func (c *transport) readAll(ctx context.Context, rq *request) ([]byte, error) {
	resp, err := c.send(ctx, rq)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// stream sends rq and returns the answer's body to read as it arrives.
// The caller closes it.
func (c *transport) stream(ctx context.Context, rq *request) (io.ReadCloser, error) {
	resp, err := c.send(ctx, rq)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// isZero says whether v is its type's zero value: a field with a default
// is sent only when it is not, so the server's default applies.
func isZero[T comparable](v T) bool {
	var zero T
	return v == zero
}
