// Mistake: the losers of the race are not cancelled.
//
// This is Promise.any translated word for word: ask everyone, take the
// first success, return. The answers channel has room for everyone, so no
// goroutine leaks for good, but the losers run to their ends: every search
// is done three times, and the slowest replica does the most work for
// nothing.
//
// Replaces: first.go
// Expect: the losers were not cancelled

package selecttimeouts

import (
	"context"
	"errors"
)

// ErrNoBackends is what First returns when it is given no backends.
var ErrNoBackends = errors.New("selecttimeouts: no backends")

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
