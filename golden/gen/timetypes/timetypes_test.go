package timetypes

import (
	"testing"

	"github.com/kommandkit/kk/runtime/kktest"
)

const bad = `{"type":"about:blank","title":"Bad Request","status":400,"detail":"`

func TestTimeTypes(t *testing.T) {
	r := NewRouter()
	for _, tc := range []struct {
		target string
		header string // X-From
		status int
		body   string
	}{
		// Durations as time.ParseDuration reads them, in the path.
		{"/wait/300ms", "", 200, "300ms"},
		{"/wait/1h2m", "", 200, "1h2m0s"},
		{"/wait/-1.5s", "", 200, "-1.5s"},
		{"/wait/0", "", 200, "0s"},
		{"/wait/2%C2%B5s", "", 200, "2µs"},
		// A bare number is not nanoseconds: it is refused.
		{"/wait/300", "", 400, bad + `path parameter \"d\": \"300\" is not a valid time.Duration: want a Go duration such as 300ms, 1.5s or 1h30m"}`},
		{"/wait/5 s", "", 400, bad + `path parameter \"d\": \"5 s\" is not a valid time.Duration: want a Go duration such as 300ms, 1.5s or 1h30m"}`},
		{"/wait/9999999999h", "", 400, bad + `path parameter \"d\": \"9999999999h\" is not a valid time.Duration: want a Go duration such as 300ms, 1.5s or 1h30m"}`},
		// The query: absent is the zero value, or nil for *T; []T takes
		// every value; times are RFC 3339, with fractions and offsets.
		{"/window", "", 200, "timeout=0s grace=nil steps=[] since=0001-01-01T00:00:00Z until=nil"},
		{"/window?timeout=2s&grace=1m&steps=1s&steps=1ms&since=2024-02-29T12:30:00.5Z&until=2024-03-01T00:00:00%2B02:00", "", 200,
			"timeout=2s grace=1m0s steps=[1s 1ms] since=2024-02-29T12:30:00.5Z until=2024-03-01T00:00:00+02:00"},
		{"/window?since=2024-02-30T00:00:00Z", "", 400, bad + `query parameter \"since\": \"2024-02-30T00:00:00Z\" is not a valid time.Time: want an RFC 3339 time such as 2006-01-02T15:04:05Z"}`},
		{"/window?since=2024-02-01", "", 400, bad + `query parameter \"since\": \"2024-02-01\" is not a valid time.Time: want an RFC 3339 time such as 2006-01-02T15:04:05Z"}`},
		{"/window?until=1700000000", "", 400, bad + `query parameter \"until\": \"1700000000\" is not a valid time.Time: want an RFC 3339 time such as 2006-01-02T15:04:05Z"}`},
		{"/window?steps=1s&steps=x", "", 400, bad + `query parameter \"steps\": \"x\" is not a valid time.Duration: want a Go duration such as 300ms, 1.5s or 1h30m"}`},
		// Input-struct fields, with their defaults when absent.
		{"/poll?need=1s", "", 200, "every=300ms max=1h30m0s jitter=1.5µs from=2024-01-02T03:04:05Z need=1s"},
		{"/poll?need=1s&every=5s&max=2h&jitter=0", "2025-06-07T08:09:10-05:00", 200, "every=5s max=2h0m0s jitter=0s from=2025-06-07T08:09:10-05:00 need=1s"},
		{"/poll", "", 422, `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"need: required","errors":[{"field":"need","in":"query","message":"required"}]}`},
		{"/poll?need=1s", "yesterday", 400, bad + `header \"X-From\": \"yesterday\" is not a valid time.Time: want an RFC 3339 time such as 2006-01-02T15:04:05Z"}`},
	} {
		req := kktest.NewRequest("GET", tc.target, nil)
		if tc.header != "" {
			req.Header.Set("X-From", tc.header)
		}
		resp := kktest.Serve(r, req)
		if resp.StatusCode() != tc.status || string(resp.Body()) != tc.body {
			t.Errorf("GET %s = %d %s; want %d %s", tc.target, resp.StatusCode(), resp.Body(), tc.status, tc.body)
		}
	}
}
