// Mistake: First does not watch the caller's context while it waits for answers.
//
// The backends' context is derived from the caller's, so they are
// cancelled when the caller gives up, and most return the context's error:
// the race ends with every backend failed and an error that wraps the
// caller's. But a backend that ignores its context and succeeds after the
// caller gave up wins, although ctx was done before any backend succeeded.
//
// Replaces: first.go
// Kind: test failed
// Expect: a success that came after the caller had given up

package selecttimeouts

import (
	"context"
	"errors"
	"sync"
)

func First(ctx context.Context, backends ...Call) (string, error) {
	if len(backends) == 0 {
		return "", ErrNoBackends
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	// stop cancels the backends that are still running and waits for them.
	// Cancel first: a WaitGroup waited on before the cancel would wait for
	// the slowest backend.
	stop := func() {
		cancel()
		wg.Wait()
	}

	// Room for every answer: no backend ever blocks sending, even those
	// that answer after the race is over.
	answers := make(chan answer, len(backends))
	for _, backend := range backends {
		wg.Go(func() {
			body, err := backend(ctx)
			answers <- answer{body, err}
		})
	}

	var errs []error
	for range backends {
		select {
		case a := <-answers:
			if a.err == nil {
				stop()
				return a.body, nil
			}
			errs = append(errs, a.err)
		}
	}
	stop()
	return "", errors.Join(errs...)
}
