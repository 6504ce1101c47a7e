package workerpool

import "context"

// Shutdown stops intake and waits until the pool has finished: from the
// moment it is called, Submit returns ErrClosed; the jobs already in the
// queue and those running still run, their results are sent, and then the
// Results channel is closed and the workers return. Shutdown returns nil
// once all of that is done.
//
// If ctx is done first, Shutdown returns ctx.Err() at that moment, without
// waiting longer. The pool still finishes in the background: the jobs run,
// their results arrive, and Results is closed after the last one.
//
// Shutdown may be called more than once, also from several goroutines at
// once; every call waits as the first does, for the pool or for its own
// ctx, and none panics.
func (p *Pool) Shutdown(ctx context.Context) error {
	p.shutdown.Do(func() {
		p.mu.Lock()
		p.closed = true // no Submit passes its check from now on
		p.mu.Unlock()
		close(p.quit) // and the ones waiting for room give up
		go p.finish()
	})
	select {
	case <-p.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// finish runs in the background once Shutdown is first called. It closes
// the queue when no Submit can send on it any more, waits for the workers
// to run what is left in it, then closes Results and lets every waiting
// Shutdown return.
func (p *Pool) finish() {
	p.senders.Wait()
	close(p.jobs)
	p.workers.Wait()
	close(p.results)
	close(p.done)
}
