// Mistake: when the caller gives up, First cancels the backends but does not wait for them.
//
// The ctx.Done case cancels and returns at once, `cancel(); return "",
// ctx.Err()`, the way an old wording of Hint 5 ("return the moment the
// caller gives up") read. The success path waits for the losers; this path
// does not, so the backends, cancelled but still hanging up, outlive First:
// against "cancels the backends, waits for them".
//
// Replaces: first.go
// Kind: goroutine leak
// Expect: still running when First returned

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
	stop := func() {
		cancel()
		wg.Wait()
	}

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
			cancel()
			return "", ctx.Err()
		}
	}
	stop()
	return "", errors.Join(errs...)
}
