// Mistake: the timeout does not stop the work.
//
// WithTimeout returns at the deadline, but the call got
// context.Background(), which nothing ever cancels. The caller has given
// up, and the call goes on querying, computing and holding connections for
// an answer nobody will read. This is what Promise.race with a timeout does
// in Node.js unless an AbortController is wired in.
//
// Replaces: timeout.go
// Kind: goroutine leak
// Expect: kept running after the timeout

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
	done := make(chan answer, 1)
	go func() {
		body, err := call(context.Background())
		done <- answer{body, err}
	}()
	select {
	case a := <-done:
		return a.body, a.err
	case <-time.After(d):
		return "", ErrTimeout
	}
}
