// Package selecttimeouts is lesson 09: wait for whichever comes first with
// select, give a call a deadline, let the fastest of several backends win
// and cancel the others, and beat a heartbeat on a ticker that is stopped.
package selecttimeouts

import (
	"context"
	"errors"
	"time"
)

// A Call is one request to a slow service, such as a price lookup or a
// search on one replica. It must return soon after ctx is done, but the
// code that calls it must not count on that: a Call may also ignore ctx and
// run to its end.
type Call func(ctx context.Context) (string, error)

// ErrTimeout is what WithTimeout returns when the deadline passes before the
// call has answered.
var ErrTimeout = errors.New("selecttimeouts: call timed out")

// WithTimeout runs call in a goroutine of its own and waits for its answer
// for at most d.
//
// If call returns before d has passed, WithTimeout returns what call
// returned, as soon as it returned. Otherwise WithTimeout returns "" and
// ErrTimeout exactly when d has passed, and at that same instant cancels
// the context it gave call, so that the work stops instead of running on
// for nobody.
//
// WithTimeout does not wait for a call that ignores its context, but it
// leaves nothing behind either: once call returns, however late, the
// goroutine that ran it ends.
func WithTimeout(d time.Duration, call Call) (string, error) {
	// TODO: run call in its own goroutine, then select between its answer
	// and a timer of d. On the timeout, cancel call's context and make sure
	// its goroutine can still deliver its late answer and end.
	return call(context.Background())
}
