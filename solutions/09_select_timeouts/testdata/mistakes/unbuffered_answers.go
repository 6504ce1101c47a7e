// Mistake: the backends answer on an unbuffered channel nobody drains.
//
// First takes the first success, cancels the losers and returns. The
// losers stop, and each then blocks forever trying to send its answer on
// a channel First no longer reads: orphaned senders, two leaked goroutines
// per search. It is the most common goroutine leak in real Go code.
//
// Replaces: first.go
// Kind: goroutine leak
// Expect: orphaned sender

package selecttimeouts

import (
	"context"
	"errors"
)

// First asks every backend at once and returns the first success.
func First(ctx context.Context, backends ...Call) (string, error) {
	if len(backends) == 0 {
		return "", ErrNoBackends
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	answers := make(chan answer)
	for _, backend := range backends {
		go func() {
			body, err := backend(ctx)
			answers <- answer{body, err}
		}()
	}
	var errs []error
	for range backends {
		a := <-answers
		if a.err == nil {
			return a.body, nil
		}
		errs = append(errs, a.err)
	}
	return "", errors.Join(errs...)
}
