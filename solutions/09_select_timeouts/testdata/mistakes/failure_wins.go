// Mistake: the first answer wins even when it is an error.
//
// This is Promise.race: whatever settles first decides, rejection
// included. One broken replica that fails fast now fails every search,
// although the others would have answered. For hedged requests the first
// success should win (Promise.any).
//
// Replaces: first.go
// Kind: test failed
// Expect: a failure won the race

package selecttimeouts

import (
	"context"
	"sync"
)

// First asks every backend at once and returns the first answer.
func First(ctx context.Context, backends ...Call) (string, error) {
	if len(backends) == 0 {
		return "", ErrNoBackends
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	answers := make(chan answer, len(backends))
	for _, backend := range backends {
		wg.Go(func() {
			body, err := backend(ctx)
			answers <- answer{body, err}
		})
	}
	a := <-answers
	cancel()
	wg.Wait()
	return a.body, a.err
}
