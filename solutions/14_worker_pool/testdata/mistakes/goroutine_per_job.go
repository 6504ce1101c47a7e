// Mistake: Submit starts a goroutine for every job instead of queueing it.
//
// In Node every async call just starts, so this feels natural: "go" the
// job and move on. The workers sit idle, the queue is never used, and
// 10,000 jobs make 10,000 goroutines all hitting the disk at once, which
// is what a pool is there to prevent.
//
// Replaces: pool.go
// Kind: test failed
// Expect: a goroutine per job

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

	p.workers.Go(func() { p.results <- run(job) }) // counted, so Shutdown waits for it
	return nil
}
