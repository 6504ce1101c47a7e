// Mistake: Submit waits for room without looking at its context.
//
// The select waits for room or for Shutdown, but not for ctx. A caller
// whose request was cancelled stays parked in Submit until a worker frees
// a slot, and then queues work nobody wants.
//
// Replaces: pool.go
// Kind: test failed
// Expect: whichever comes first

package workerpool

import "context"

func (p *Pool) Submit(ctx context.Context, job Job) error {
	if err := ctx.Err(); err != nil {
		return err
	}
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
	}
}
