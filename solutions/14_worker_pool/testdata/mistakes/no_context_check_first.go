// Mistake: Submit relies on its select alone to notice a context that is already done.
//
// When the queue has room and ctx is already done, both cases of the
// select are ready, and Go picks one at random: about half the jobs of a
// cancelled request are accepted anyway. JavaScript has no such choice,
// so the check up front looks redundant.
//
// Replaces: pool.go
// Kind: test failed
// Expect: check ctx.Err() before you send

package workerpool

import "context"

func (p *Pool) Submit(ctx context.Context, job Job) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	// Counted under the lock that Shutdown takes to set closed: once
	// closed is set, no Submit can join, so Shutdown's Wait for the senders
	// never races an Add.
	p.senders.Add(1)
	p.mu.Unlock()
	defer p.senders.Done()

	select {
	case p.jobs <- job:
		return nil
	case <-p.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}
