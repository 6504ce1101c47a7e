// Mistake: Submit checks the closed flag, then sends on the queue with a plain send.
//
// The check and the send are two steps. A Submit that passed the check
// and waits for room is still parked on the send when Shutdown closes the
// queue, and a send on a closed channel panics: the most reported bug of
// Go pool libraries.
//
// Replaces: pool.go
// Kind: data race
// Expect: send on closed channel

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
	p.mu.Unlock()

	p.jobs <- job // waits for room
	return nil
}
