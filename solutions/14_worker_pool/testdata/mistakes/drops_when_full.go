// Mistake: Submit drops the job when the queue is full, and returns nil.
//
// A send with a default case never blocks, which looks like the
// non-blocking style Node teaches. But the caller is told the job was
// accepted, and its result never comes: under load, work silently
// disappears.
//
// Replaces: pool.go
// Kind: test failed
// Expect: neither drops the job nor fails

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
	case <-p.quit:
		return ErrClosed
	default: // the queue is full: don't block the caller
	}
	return nil
}
