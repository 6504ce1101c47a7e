// Mistake: Post checks a "stopped" flag, then sends; Stop closes the channel.
//
// Each step is safe on its own: the flag is atomic, the channel has a big
// buffer. But between Post's check and Post's send, Stop can set the flag,
// close the channel and return, and the send then panics with "send on
// closed channel". The window is a few nanoseconds, so it passes every
// test that does not force it; in production it crashes the process during
// a shutdown, the shape of real bugs in Kubernetes and Docker.
//
// Replaces: loop.go
// Removes: Loop.run, Loop.next, Loop.signal
// Kind: test failed
// Expect: send on closed channel

package eventloop

import (
	"errors"
	"sync"
	"sync/atomic"
)

// ErrStopped is returned by Post and After once Stop has been called.
var ErrStopped = errors.New("eventloop: loop is stopped")

// A Loop runs callbacks one at a time on its own goroutine.
type Loop struct {
	testHookPost func()
	timers       timers

	tasks   chan func() // closed by Stop
	stopped atomic.Bool
	once    sync.Once
	done    chan struct{} // closed when the loop goroutine has returned
}

// New starts a loop goroutine and returns its Loop.
func New() *Loop {
	l := &Loop{
		tasks: make(chan func(), 1<<16),
		done:  make(chan struct{}),
	}
	go func() {
		defer close(l.done)
		for f := range l.tasks { // ends when Stop closes tasks
			f()
		}
	}()
	return l
}

// Post queues f to run on the loop goroutine.
func (l *Loop) Post(f func()) error {
	if l.stopped.Load() {
		return ErrStopped
	}
	if l.testHookPost != nil {
		l.testHookPost()
	}
	l.tasks <- f // Stop may have closed tasks since the check above
	return nil
}

// Stop stops the loop and waits until its goroutine has returned.
func (l *Loop) Stop() {
	l.once.Do(func() {
		l.timers.stop()
		l.stopped.Store(true)
		close(l.tasks)
	})
	<-l.done
}
