// Mistake: timers post back into the loop, but Stop never cancels them.
//
// After is time.AfterFunc(d, func() { l.Post(f) }), and the timer is not
// remembered. After Stop the callback is refused, so nothing wrong runs and
// no goroutine is left waiting; but every pending timer still fires later,
// and until it does it keeps the stopped loop and its callback in memory: an
// hour-long timer, an hour. Stop must cancel pending timers (Timer.Stop).
//
// Replaces: eventloop.go
// Expect: pending timers must be cancelled by Stop

package eventloop

import (
	"errors"
	"sync"
	"time"
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

	mu      sync.Mutex               // protects queue, stopped, timers
	queue   []func()                 // callbacks waiting to run, oldest first
	stopped bool                     // Stop has been called
	timers  map[*time.Timer]struct{} // pending timers, for Stop to cancel

	wake chan struct{} // capacity 1: the queue may have grown, or Stop was called
	done chan struct{} // closed when the loop goroutine has returned
}

// New starts a loop goroutine and returns its Loop. Call Stop when the loop
// is no longer needed: until then its goroutine keeps running.
func New() *Loop {
	l := &Loop{
		timers: make(map[*time.Timer]struct{}),
		wake:   make(chan struct{}, 1),
		done:   make(chan struct{}),
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

// After arranges for f to be queued on the loop once d has passed, like
// setTimeout: f runs on the loop goroutine, never on the timer's own
// goroutine. Timers with different deadlines run in deadline order; timers
// due at the same instant run in no particular order. After returns at once.
//
// Once Stop has been called, After returns ErrStopped and f never runs.
// Stop cancels timers that have not yet queued their callback: those
// callbacks never run.
func (l *Loop) After(d time.Duration, f func()) error {
	l.mu.Lock()
	stopped := l.stopped
	l.mu.Unlock()
	if stopped {
		return ErrStopped
	}
	// The timer posts back into the loop; after Stop, Post refuses it.
	time.AfterFunc(d, func() { _ = l.Post(f) })
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
	l.mu.Lock()
	if !l.stopped {
		l.stopped = true
		for t := range l.timers {
			t.Stop()
		}
		l.timers = nil
		l.signal()
	}
	l.mu.Unlock()
	<-l.done
}
