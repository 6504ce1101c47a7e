// Package eventloop is lesson 03: one goroutine, the loop, owns some state
// and runs the callbacks that other goroutines post to it, one at a time and
// in order; timers post their callbacks back into the loop instead of
// running them; and the loop stops cleanly, leaving nothing behind.
package eventloop

import "errors"

// ErrStopped is returned by Post and After once Stop has been called: the
// callback was not accepted and will never run.
var ErrStopped = errors.New("eventloop: loop is stopped")

// A Loop runs callbacks one at a time on a goroutine of its own, the loop
// goroutine, in the order they were queued. Because only the loop goroutine
// runs them, callbacks may share state that nothing else touches (a cache,
// a map of sessions, a counter) without any lock: the loop owns that state.
//
// Post, After and Stop may be called from any goroutine, including from a
// callback running on the loop, with one exception: a callback must not
// call Stop, because Stop waits for the loop goroutine, which is busy
// running that callback. A callback that panics crashes the program, as an
// uncaught exception ends a Node.js process.
//
// A Loop must be made with New; the zero Loop is not usable.
type Loop struct {
	// testHookPost, if not nil, is called by Post after Post has found the
	// loop running and before it queues f. The tests set it to run Stop at
	// exactly that moment. It is nil outside the tests. Keep the call.
	testHookPost func()

	timers timers // the pending timers of After (timers.go); Stop cancels them

	// TODO: add what the loop needs: a queue of callbacks that never
	// fills up, a way to wake the loop goroutine when work arrives, a flag
	// that says Stop was called, and a way for Stop to know that the loop
	// goroutine has returned. Say which lock protects which field.
}

// New starts a loop goroutine and returns its Loop. Call Stop when the loop
// is no longer needed: until then its goroutine keeps running.
func New() *Loop {
	l := &Loop{}
	// TODO: start the loop goroutine. It waits for callbacks and runs them
	// one at a time, in order, until Stop is called and the queue is empty.
	return l
}

// Post queues f to run on the loop goroutine after every callback queued
// before it, and returns at once: it never waits for the loop, however busy
// the loop is, so a callback may post more callbacks. f must not be nil.
//
// Once Stop has been called, Post returns ErrStopped and f never runs. If
// Post returns nil, f runs, even if Stop is called right after.
func (l *Loop) Post(f func()) error {
	// TODO: return ErrStopped if Stop has been called; otherwise queue f
	// and wake the loop. Deciding "still running" and queueing f must be
	// one step that Stop cannot get in between.
	if l.testHookPost != nil {
		l.testHookPost()
	}
	return nil
}

// Stop stops the loop and waits until its goroutine has returned. From the
// moment Stop is called, Post and After return ErrStopped. Callbacks that
// were queued before still run, in order, before Stop returns; pending
// timers are cancelled at once, and their callbacks never run. Stop leaves
// no goroutine behind.
//
// Stop may be called more than once and from several goroutines at once;
// every call returns only after the loop goroutine has returned. It must
// not be called from a callback on the loop.
func (l *Loop) Stop() {
	// TODO: cancel the pending timers (l.timers.stop()), mark the loop
	// stopped (once), wake the loop goroutine so it can finish the queue and
	// return, and wait until it has.
}
