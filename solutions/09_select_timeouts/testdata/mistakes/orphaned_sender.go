// Mistake: the call's goroutine sends its answer on an unbuffered channel.
//
// When the timer wins the select, nobody will ever receive from done
// again. The call is cancelled and returns, and its goroutine then blocks
// forever on the send: an orphaned sender, one leaked goroutine per
// timeout. In Node.js the losing promise is simply garbage; in Go a
// goroutine blocked on a channel is never collected.
//
// Replaces: timeout.go
// Kind: goroutine leak
// Expect: orphaned sender

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
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan answer)
	go func() {
		body, err := call(ctx)
		done <- answer{body, err}
	}()
	select {
	case a := <-done:
		return a.body, a.err
	case <-time.After(d):
		return "", ErrTimeout
	}
}
