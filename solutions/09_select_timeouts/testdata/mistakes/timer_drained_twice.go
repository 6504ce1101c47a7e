// Mistake: the timer is drained twice.
//
// The deferred cleanup is the old idiom for stopping a timer: if Stop
// reports that the timer already fired, receive its value. But on the
// timeout path the select has already received that value, so Stop returns
// false and the second receive waits for a value that will never come.
// WithTimeout hangs exactly when it should time out. Since Go 1.23,
// defer timer.Stop() is all the cleanup a timer needs.
//
// Replaces: timeout.go
// Kind: goroutine leak
// Expect: timer drained twice

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
	done := make(chan answer, 1)
	go func() {
		body, err := call(ctx)
		done <- answer{body, err}
	}()
	timer := time.NewTimer(d)
	defer func() {
		if !timer.Stop() {
			<-timer.C
		}
	}()
	select {
	case a := <-done:
		return a.body, a.err
	case <-timer.C:
		return "", ErrTimeout
	}
}
