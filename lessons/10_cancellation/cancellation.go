// Package cancellation is lesson 10: carry cancellation, deadlines and their
// causes through a chain of calls with the context package, stop a call that
// takes no context with context.AfterFunc, let work outlive its request with
// context.WithoutCancel, and cancel a producer and a consumer together.
//
// It is called cancellation rather than context so that its files can import
// the standard library's context package without two packages of one name.
package cancellation

import "context"

type requestIDKey struct{}

// WithRequestID returns a copy of ctx that carries the request ID id, as a
// server's middleware attaches it to every incoming request.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request ID that ctx carries, or "" if it has none.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
