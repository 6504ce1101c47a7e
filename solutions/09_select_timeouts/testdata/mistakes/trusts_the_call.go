// Mistake: the deadline depends on the call's cooperation.
//
// The call runs on the caller's goroutine with a context that expires
// after d, the way one passes an AbortSignal to fetch and awaits it. A
// call that listens to its context stops in time, so the usual tests
// pass. But a call that ignores its context (a library without context
// support, a stuck syscall) holds WithTimeout for as long as it likes: the
// timeout is only a request.
//
// Replaces: timeout.go
// Kind: test failed
// Expect: waited for a call that ignores its context

package selecttimeouts

import (
	"context"
	"errors"
	"time"
)

// A Call is one request to a slow service.
type Call func(ctx context.Context) (string, error)

// ErrTimeout is what WithTimeout returns when the deadline passes first.
var ErrTimeout = errors.New("selecttimeouts: call timed out")

// WithTimeout runs call and waits for its answer for at most d.
func WithTimeout(d time.Duration, call Call) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	body, err := call(ctx)
	if ctx.Err() != nil {
		return "", ErrTimeout
	}
	return body, err
}
