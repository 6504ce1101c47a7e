// Mistake: Shutdown closes its channels on every call.
//
// The first Shutdown works. The second, from a signal handler and a
// deferred cleanup both, closes the quit channel again, and a close of a
// closed channel panics.
//
// Replaces: shutdown.go
// Kind: test failed
// Expect: Shutdown twice must be safe

package workerpool

import "context"

func (p *Pool) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	close(p.quit)
	go p.finish()
	select {
	case <-p.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
