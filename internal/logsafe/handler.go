package logsafe

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// NewHandler wraps h so that every line it writes goes through String:
// the message, and every string, error, URL or other Stringer attribute,
// in groups too. An attribute named like a secret (authorization,
// cookie, password, token, …) is replaced whole, and an http.Header
// loses its credentials. Lines with nothing to hide reach h unchanged,
// without allocating.
func NewHandler(h slog.Handler) slog.Handler {
	if _, ok := h.(*handler); ok {
		return h
	}
	return &handler{next: h}
}

type handler struct{ next slog.Handler }

func (h *handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	msg, changed := redact(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		_, c := redactAttr(a)
		changed = changed || c
		return !changed
	})
	if !changed {
		return h.next.Handle(ctx, r)
	}
	out := slog.NewRecord(r.Time, r.Level, msg, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		a, _ = redactAttr(a)
		out.AddAttrs(a)
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *handler) WithAttrs(as []slog.Attr) slog.Handler {
	safe := make([]slog.Attr, len(as))
	for i, a := range as {
		safe[i], _ = redactAttr(a)
	}
	return &handler{next: h.next.WithAttrs(safe)}
}

func (h *handler) WithGroup(name string) slog.Handler {
	return &handler{next: h.next.WithGroup(name)}
}

// redactAttr is a with its secrets replaced, and whether there were any.
func redactAttr(a slog.Attr) (slog.Attr, bool) {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		if SecretName(a.Key) && v.String() != "" {
			return slog.String(a.Key, Redacted), true
		}
		if s, ok := redact(v.String()); ok {
			return slog.String(a.Key, s), true
		}
	case slog.KindGroup:
		group := v.Group()
		var out []slog.Attr
		for i, ga := range group {
			ga, ok := redactAttr(ga)
			if ok && out == nil {
				out = append(make([]slog.Attr, 0, len(group)), group[:i]...)
			}
			if out != nil {
				out = append(out, ga)
			}
		}
		if out != nil {
			return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}, true
		}
	case slog.KindAny:
		return redactAny(a.Key, v.Any())
	}
	if v.Kind() != a.Value.Kind() { // a LogValuer: keep what it resolved to
		return slog.Attr{Key: a.Key, Value: v}, false
	}
	return a, false
}

// redactAny handles the values that print as text: errors (which often
// quote the address that failed), URLs, headers and Stringers.
func redactAny(key string, x any) (slog.Attr, bool) {
	var s string
	switch x := x.(type) {
	case nil:
		return slog.Any(key, x), false
	case http.Header:
		return slog.Attr{Key: key, Value: slog.GroupValue(headerAttrs(x)...)}, true
	case url.Values:
		s = x.Encode()
	case error:
		s = x.Error()
	case fmt.Stringer:
		s = x.String()
	default:
		if SecretName(key) {
			return slog.String(key, Redacted), true
		}
		return slog.Any(key, x), false
	}
	if SecretName(key) {
		return slog.String(key, Redacted), true
	}
	if r, ok := redact(s); ok {
		return slog.String(key, r), true
	}
	return slog.Any(key, x), false
}

// headerAttrs are a request's or response's headers as attributes, the
// credentials (Authorization, Cookie, Set-Cookie, API keys) replaced.
func headerAttrs(h http.Header) []slog.Attr {
	out := make([]slog.Attr, 0, len(h))
	for name, values := range h {
		v := strings.Join(values, ", ")
		if SecretName(name) {
			v = Redacted
		}
		out = append(out, slog.String(name, String(v)))
	}
	return out
}
