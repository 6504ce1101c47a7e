// Mistake: Shutdown closes the queue at once, while Submits may still be sending.
//
// Closing the jobs channel is how the workers learn to stop, so it is the
// first thing Shutdown does. But a Submit waiting for room is parked on a
// send to that channel, and the close makes it panic.
//
// Replaces: shutdown.go
// Kind: data race
// Expect: send on closed channel

package workerpool

import "context"

func (p *Pool) Shutdown(ctx context.Context) error {
	p.shutdown.Do(func() {
		p.mu.Lock()
		p.closed = true
		p.mu.Unlock()
		close(p.jobs) // the workers finish the queue and return
		go p.finish()
	})
	select {
	case <-p.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *Pool) finish() {
	p.workers.Wait()
	close(p.results)
	close(p.done)
}
