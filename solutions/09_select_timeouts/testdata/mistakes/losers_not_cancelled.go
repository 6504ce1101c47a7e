// Mistake: the losers of the race are not cancelled.
//
// This is Promise.any translated word for word: ask everyone, take the
// first success, return. The answers channel has room for everyone, so no
// goroutine is blocked for good, but the losers outlive First and run to
// their ends: every search is done three times, and the slowest replica
// does the most work for nothing.
//
// Replaces: first.go
// Kind: goroutine leak
// Expect: the losers were not cancelled

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
	answers := make(chan answer, len(backends))
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
