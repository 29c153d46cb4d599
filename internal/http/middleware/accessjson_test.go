package middleware

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/logsafe"
)

// The lines the access log writes itself are the lines slog's JSON
// handler writes, byte for byte, whatever the request's text holds.
func TestAccessLog_jsonLinesAreSlogs(t *testing.T) {
	var all strings.Builder
	for c := 0; c < 128; c++ {
		all.WriteByte(byte(c))
	}
	odd := []string{"", all.String(), "/기사/서울", "bad\xff\xfeutf8", "line\u2028para\u2029", `quote" back\ slash`,
		"/newsroom/reset/abcdef0123456789abcdef0123456789", "token=bst_0123456789abcdefghijklmnopqrstuv&x=<y>&z"}
	at := []time.Time{time.Now(), time.Date(2026, 12, 6, 19, 42, 7, 25773451, time.UTC), time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("KST", 9*3600))}
	var entries []accessEntry
	for i, s := range odd {
		entries = append(entries, accessEntry{id: "abc-" + s, method: "GET", path: s, query: s, status: []int{200, 304, 404, 500, 503}[i%5],
			bytes: i * 1000, end: at[i%len(at)], took: time.Duration(i) * 12345 * time.Nanosecond})
	}
	entries = append(entries, accessEntry{id: "x", method: "POST", path: "/p", status: 0, end: at[1]})
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelWarn} {
		var viaSlog, direct bytes.Buffer
		// As the server's logger: every line through logsafe.
		a := NewAccessLog(slog.New(logsafe.NewHandler(slog.NewJSONHandler(&viaSlog, &slog.HandlerOptions{Level: level}))))
		for _, e := range entries {
			a.write(e)
		}
		a.WriteJSONTo(&direct)
		a.writeBatch(entries, nil)
		if viaSlog.String() != direct.String() {
			sl, dl := strings.Split(viaSlog.String(), "\n"), strings.Split(direct.String(), "\n")
			for i := range min(len(sl), len(dl)) {
				if sl[i] != dl[i] {
					t.Errorf("level %v, line %d:\nslog:   %s\ndirect: %s", level, i, sl[i], dl[i])
				}
			}
			if len(sl) != len(dl) {
				t.Errorf("level %v: slog wrote %d lines, the access log %d", level, len(sl), len(dl))
			}
		}
		if level == slog.LevelWarn && strings.Count(direct.String(), "\n") != 2 {
			t.Errorf("at level WARN, %d lines, want the two 5xx", strings.Count(direct.String(), "\n"))
		}
	}
}
