package kk_test

import (
	"errors"
	"log/slog"
	"strings"
	"testing"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// TestAccessLogLevels checks AccessLog and AccessLogLevels's policies on
// a 204, a 404 and a 500: AccessLog logs every line at Info; StatusLevels
// gives Info, Warn and Error; LevelOff drops a class; a logger's own level
// still filters.
func TestAccessLogLevels(t *testing.T) {
	for _, tc := range []struct {
		name     string
		mw       func(*slog.Logger) kk.Middleware
		minLevel slog.Level
		want     []string // the level of each line, in request order
	}{
		{"AccessLog", kk.AccessLog, slog.LevelDebug, []string{"INFO", "INFO", "INFO"}},
		{"zero policy", levels(kk.AccessLevels{}), slog.LevelDebug, []string{"INFO", "INFO", "INFO"}},
		{"StatusLevels", levels(kk.StatusLevels()), slog.LevelDebug, []string{"INFO", "WARN", "ERROR"}},
		{"errors only", levels(kk.AccessLevels{Success: kk.LevelOff, ClientError: slog.LevelWarn, ServerError: slog.LevelError}),
			slog.LevelDebug, []string{"WARN", "ERROR"}},
		{"logger at Warn", levels(kk.StatusLevels()), slog.LevelWarn, []string{"WARN", "ERROR"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs logBuffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: tc.minLevel}))
			r := kk.New(table(map[string]kk.Handler{"Fail": func(*kk.Ctx) error { return errors.New("boom") }}))
			r.SetLogger(slog.New(slog.DiscardHandler))
			r.Use(tc.mw(logger))
			for _, path := range []string{"/hello", "/nowhere", "/fail"} {
				kktest.Do(r, "GET", path)
			}
			var got []string
			for line := range strings.Lines(logs.String()) {
				if !strings.Contains(line, "msg=request") {
					t.Errorf("unexpected line %q", line)
				}
				_, rest, _ := strings.Cut(line, "level=")
				level, _, _ := strings.Cut(rest, " ")
				got = append(got, level)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("levels %v, want %v\n%s", got, tc.want, logs.String())
			}
		})
	}
}

// levels is AccessLogLevels with its policy bound, as a test case's
// constructor.
func levels(lv kk.AccessLevels) func(*slog.Logger) kk.Middleware {
	return func(l *slog.Logger) kk.Middleware { return kk.AccessLogLevels(l, lv) }
}
