// Package response writes JSON answers and errors in one consistent shape.
package response

import (
	"encoding/json"
	"net/http"
)

// JSON writes v as the body with the given status. Answers are not
// cached unless the handler set its own Cache-Control first.
func JSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"code":"internal","error":"The answer could not be encoded."}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "private, no-store")
	}
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// Error is the body of every JSON error: a stable machine-readable code, a
// sentence for people, and per-field messages for invalid input.
type Error struct {
	Code   string            `json:"code"`
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`

	// A refused reader action also says what refused it: a stable reason
	// ("too_long", "per_day", "banned" ...), the policy rule applied, the
	// limit, and for rate limits the seconds until it resets (as in the
	// Retry-After header).
	Reason     string `json:"reason,omitempty"`
	Rule       *Rule  `json:"rule,omitempty"`
	Limit      int    `json:"limit,omitempty"`
	RetryAfter int    `json:"retry_after,omitempty"`
}

// Rule is a numbered rule of the Standards Board Policy.
type Rule struct {
	Number int    `json:"number"`
	Text   string `json:"text"`
}

// JSONError writes an Error.
func JSONError(w http.ResponseWriter, status int, code, message string, fields map[string]string) {
	JSON(w, status, Error{Code: code, Error: message, Fields: fields})
}
