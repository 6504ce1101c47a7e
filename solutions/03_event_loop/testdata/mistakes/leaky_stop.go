// Mistake: Stop never ends the loop goroutine.
//
// Closing the channel that Post sends on can panic, so this Stop does not
// close it: it only sets a flag that makes Post refuse new work. Nothing
// ever tells the loop goroutine to return, so it waits on its channel
// forever. Every Loop made and stopped leaves one goroutine behind, and
// Stop cannot wait for a goroutine that never ends, so it does not wait.
//
// Replaces: loop.go
// Removes: Loop.run, Loop.next, Loop.signal
// Kind: goroutine leak
// Expect: goroutine leak

package eventloop

import (
	"errors"
	"sync"
)

// ErrStopped is returned by Post and After once Stop has been called.
var ErrStopped = errors.New("eventloop: loop is stopped")

// A Loop runs callbacks one at a time on its own goroutine.
type Loop struct {
	testHookPost func()
	timers       timers

	tasks chan func() // never closed, so that Post can never panic

	mu      sync.Mutex // protects stopped, and sends on tasks
	stopped bool
}

// New starts a loop goroutine and returns its Loop.
func New() *Loop {
	l := &Loop{tasks: make(chan func(), 1<<16)}
	go func() {
		for f := range l.tasks {
			f()
		}
	}()
	return l
}

// Post queues f to run on the loop goroutine.
func (l *Loop) Post(f func()) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return ErrStopped
	}
	if l.testHookPost != nil {
		l.testHookPost()
	}
	l.tasks <- f
	return nil
}

// Stop makes Post and After refuse new work and cancels pending timers.
func (l *Loop) Stop() {
	l.timers.stop()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
}
