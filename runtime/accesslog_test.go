package kk_test

import (
	"errors"
	"log/slog"
	"strings"
	"testing"

	kk "github.com/kommandkit/kk/runtime"
	"github.com/kommandkit/kk/runtime/kktest"
)

// TestAccessLogLevels checks AccessLog's level policies on a 204, a 404
// and a 500: without one every line is Info; StatusLevels gives Info, Warn
// and Error; LevelOff drops a class; a logger's own level still filters.
func TestAccessLogLevels(t *testing.T) {
	for _, tc := range []struct {
		name     string
		levels   []kk.AccessLevels
		minLevel slog.Level
		want     []string // the level of each line, in request order
	}{
		{"default", nil, slog.LevelDebug, []string{"INFO", "INFO", "INFO"}},
		{"StatusLevels", []kk.AccessLevels{kk.StatusLevels}, slog.LevelDebug, []string{"INFO", "WARN", "ERROR"}},
		{"errors only", []kk.AccessLevels{{Success: kk.LevelOff, ClientError: slog.LevelWarn, ServerError: slog.LevelError}},
			slog.LevelDebug, []string{"WARN", "ERROR"}},
		{"logger at Warn", []kk.AccessLevels{kk.StatusLevels}, slog.LevelWarn, []string{"WARN", "ERROR"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs logBuffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: tc.minLevel}))
			r := kk.New(table(map[string]kk.Handler{"Fail": func(*kk.Ctx) error { return errors.New("boom") }}))
			r.SetLogger(slog.New(slog.DiscardHandler))
			r.Use(kk.AccessLog(logger, tc.levels...))
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
