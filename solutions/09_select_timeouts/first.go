package selecttimeouts

import (
	"context"
	"errors"
	"sync"
)

// ErrNoBackends is what First returns when it is given no backends.
var ErrNoBackends = errors.New("selecttimeouts: no backends")

// First asks every backend at the same time, each in a goroutine of its
// own, and returns the first successful answer: the fastest replica wins.
//
// A backend that fails does not end the race; First goes on waiting for the
// others. As soon as one backend succeeds, First cancels the context of all
// the others, waits until every backend has returned, and returns the
// winner's answer with a nil error. When First returns, no backend is
// running any more.
//
// If every backend fails, First returns "" and an error that joins all
// their errors (errors.Join), so that errors.Is finds each of them. If ctx
// is done before any backend succeeds, First cancels the backends, waits for
// them, and returns an error for which errors.Is(err, ctx.Err()) holds.
// With no backends, First returns ErrNoBackends at once.
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
		case <-ctx.Done():
			// The caller gave up; ctx is only done here because the
			// parent is, so ctx.Err() is the parent's error.
			err := ctx.Err()
			stop()
			return "", err
		}
	}
	stop()
	return "", errors.Join(errs...)
}
