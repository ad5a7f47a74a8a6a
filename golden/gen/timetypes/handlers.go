// Package timetypes covers time.Duration and time.Time parameters:
// durations as Go writes them (300ms, 1h2m) in the path, the query (plain,
// *T and []T) and input-struct fields with defaults; times in RFC 3339.
package timetypes

import (
	"fmt"
	"strings"
	"time"
)

//kk:route GET /wait/:d
func Wait(d time.Duration) string { return d.String() }

//kk:route GET /window
func Window(timeout time.Duration, grace *time.Duration, steps []time.Duration, since time.Time, until *time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "timeout=%s grace=%s steps=%v since=%s until=%s", timeout, optional(grace), steps, since.Format(time.RFC3339Nano), optionalTime(until))
	return b.String()
}

// Poll binds durations and times from the query and a header, with
// defaults.
type Poll struct {
	Every  time.Duration  `query:"every" default:"300ms"`
	Max    *time.Duration `query:"max" default:"1h30m"`
	Jitter time.Duration  `query:"jitter" default:"1500ns"`
	From   time.Time      `header:"X-From" default:"2024-01-02T03:04:05Z"`
	Need   time.Duration  `query:"need,required"`
}

//kk:route GET /poll
func GetPoll(in Poll) string {
	return fmt.Sprintf("every=%s max=%s jitter=%s from=%s need=%s", in.Every, optional(in.Max), in.Jitter, in.From.Format(time.RFC3339), in.Need)
}

func optional(d *time.Duration) string {
	if d == nil {
		return "nil"
	}
	return d.String()
}

func optionalTime(t *time.Time) string {
	if t == nil {
		return "nil"
	}
	return t.Format(time.RFC3339)
}
