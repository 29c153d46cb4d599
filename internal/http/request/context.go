// Package request holds typed context values set by middleware and small
// helpers for reading requests.
package request

import "context"

type contextKey int

const requestIDKey contextKey = iota

// WithID returns ctx carrying the request id.
func WithID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// ID returns the request id, or "".
func ID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
