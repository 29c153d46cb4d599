package middleware

import (
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"broadsheet/internal/logsafe"
)

// WriteJSONTo makes the access log write its lines to w itself, a batch
// at a time, byte for byte as the logger's slog.JSONHandler would write
// them (TestAccessLog_jsonLinesAreSlogs checks), at a fraction of the
// cost: a line costs more to format through slog than a cached page to
// serve. w must be where that handler writes; the logger still decides
// whether lines are written at all (its level).
func (a *AccessLog) WriteJSONTo(w io.Writer) {
	if a == nil {
		return
	}
	a.mu.Lock()
	a.json = w
	a.mu.Unlock()
}

// appendJSONLine appends e's line as slog's JSONHandler writes it.
func appendJSONLine(b []byte, e *accessEntry, level string) []byte {
	b = append(b, `{"time":"`...)
	b = e.end.Round(0).AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","level":"`...)
	b = append(b, level...)
	b = append(b, `","msg":"request","request_id":"`...)
	b = appendJSONString(b, logsafe.String(e.id))
	b = append(b, `","method":"`...)
	b = appendJSONString(b, logsafe.String(e.method))
	b = append(b, `","path":"`...)
	b = appendJSONString(b, logsafe.String(e.path))
	b = append(b, `","status":`...)
	b = strconv.AppendInt(b, int64(e.status), 10)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, int64(e.bytes), 10)
	b = append(b, `,"duration":`...)
	b = strconv.AppendInt(b, int64(e.took), 10)
	if e.query != "" {
		b = append(b, `,"query":"`...)
		b = appendJSONString(b, logsafe.String(e.query))
		b = append(b, '"')
	}
	return append(b, "}\n"...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString escapes s as log/slog's JSON handler does: quotes,
// backslashes and control bytes escaped (\n, \r, \t by name), invalid
// UTF-8 as \ufffd, U+2028 and U+2029 escaped, nothing else (not < > &).
func appendJSONString(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(append(b, s[start:i]...), `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}
