// Mistake: the losers are cancelled, but First does not wait for them.
//
// Cancelling only asks the losers to stop; they still need a moment to
// close their connections and return. First returns at once, so the losers
// outlive the call: whatever they still do (log, write metrics, touch a
// shared connection) now runs beside a caller that believes the race is
// over.
//
// Replaces: first.go
// Kind: goroutine leak
// Expect: still running when First returned

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
