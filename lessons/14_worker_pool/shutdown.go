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
	// TODO: stop intake (once, however often Shutdown is called), let the
	// pool finish in the background (finish), and wait for it or for ctx.
	return nil
}

// finish runs in the background once Shutdown is first called. It closes
// the queue when no Submit can send on it any more, waits for the workers
// to run what is left in it, then closes Results and lets every waiting
// Shutdown return.
func (p *Pool) finish() {
	// TODO: close the queue only when no Submit can send on it any more;
	// wait for the workers; then close Results.
}
