// Mistake: Post checks a "stopped" flag, then sends; Stop closes the channel.
//
// Each step is safe on its own: the flag is atomic, the channel has a big
// buffer. But between Post's check and Post's send, Stop can set the flag,
// close the channel and return, and the send then panics with "send on
// closed channel". The window is a few nanoseconds, so it passes every
// test that does not force it; in production it crashes the process during
// a shutdown, the shape of real bugs in Kubernetes and Docker.
//
// Replaces: eventloop.go
// Expect: send on closed channel

package eventloop

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrStopped is returned by Post and After once Stop has been called.
var ErrStopped = errors.New("eventloop: loop is stopped")

// A Loop runs callbacks one at a time on its own goroutine.
type Loop struct {
	testHookPost func()

	tasks   chan func() // closed by Stop
	stopped atomic.Bool
	once    sync.Once
	done    chan struct{} // closed when the loop goroutine has returned

	mu     sync.Mutex // protects timers
	timers map[*time.Timer]struct{}
}

// New starts a loop goroutine and returns its Loop.
func New() *Loop {
	l := &Loop{
		tasks:  make(chan func(), 1<<16),
		done:   make(chan struct{}),
		timers: make(map[*time.Timer]struct{}),
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

// After queues f on the loop once d has passed.
func (l *Loop) After(d time.Duration, f func()) error {
	if l.stopped.Load() {
		return ErrStopped
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		l.mu.Lock()
		delete(l.timers, t)
		l.mu.Unlock()
		l.Post(f) // after Stop, Post returns ErrStopped and f is dropped
	})
	l.timers[t] = struct{}{}
	return nil
}

// Stop stops the loop and waits until its goroutine has returned.
func (l *Loop) Stop() {
	l.once.Do(func() {
		l.stopped.Store(true)
		l.mu.Lock()
		for t := range l.timers {
			t.Stop()
		}
		l.mu.Unlock()
		close(l.tasks)
	})
	<-l.done
}
