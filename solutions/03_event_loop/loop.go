// Package eventloop is lesson 03: one goroutine, the loop, owns some state
// and runs the callbacks that other goroutines post to it, one at a time and
// in order; timers post their callbacks back into the loop instead of
// running them; and the loop stops cleanly, leaving nothing behind.
package eventloop

import (
	"errors"
	"sync"
)

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
	// exactly that moment. It is nil outside the tests.
	testHookPost func()

	timers timers // the pending timers of After (timers.go); Stop cancels them

	mu      sync.Mutex // protects queue and stopped
	queue   []func()   // callbacks waiting to run, oldest first
	stopped bool       // Stop has been called

	wake chan struct{} // capacity 1: the queue may have grown, or Stop was called
	done chan struct{} // closed when the loop goroutine has returned
}

// New starts a loop goroutine and returns its Loop. Call Stop when the loop
// is no longer needed: until then its goroutine keeps running.
func New() *Loop {
	l := &Loop{
		wake: make(chan struct{}, 1),
		done: make(chan struct{}),
	}
	go l.run()
	return l
}

// run is the loop goroutine: it runs callbacks until the loop is stopped
// and its queue is empty.
func (l *Loop) run() {
	defer close(l.done)
	for {
		f, ok := l.next()
		if !ok {
			return
		}
		f()
	}
}

// next waits for the oldest queued callback and takes it from the queue. It
// returns false once Stop has been called and the queue is empty.
func (l *Loop) next() (func(), bool) {
	for {
		l.mu.Lock()
		if len(l.queue) > 0 {
			f := l.queue[0]
			l.queue[0] = nil // let the callback be collected once it has run
			l.queue = l.queue[1:]
			l.mu.Unlock()
			return f, true
		}
		stopped := l.stopped
		l.mu.Unlock()
		if stopped {
			return nil, false
		}
		<-l.wake
	}
}

// signal wakes the loop goroutine if it is waiting, and otherwise leaves a
// wake-up for its next wait. It never blocks.
func (l *Loop) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Post queues f to run on the loop goroutine after every callback queued
// before it, and returns at once: it never waits for the loop, however busy
// the loop is, so a callback may post more callbacks. f must not be nil.
//
// Once Stop has been called, Post returns ErrStopped and f never runs. If
// Post returns nil, f runs, even if Stop is called right after.
func (l *Loop) Post(f func()) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return ErrStopped
	}
	if l.testHookPost != nil {
		l.testHookPost()
	}
	l.queue = append(l.queue, f)
	l.signal()
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
	l.timers.stop()
	l.mu.Lock()
	if !l.stopped {
		l.stopped = true
		l.signal()
	}
	l.mu.Unlock()
	<-l.done
}
