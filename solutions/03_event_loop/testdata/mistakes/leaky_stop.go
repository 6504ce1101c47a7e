// Mistake: Stop never ends the loop goroutine.
//
// Closing the channel that Post sends on can panic, so this Stop does not
// close it: it only sets a flag that makes Post refuse new work. Nothing
// ever tells the loop goroutine to return, so it waits on its channel
// forever. Every Loop made and stopped leaves one goroutine behind, and
// Stop cannot wait for a goroutine that never ends, so it does not wait.
//
// Replaces: eventloop.go
// Expect: goroutine leak

package eventloop

import (
	"errors"
	"sync"
	"time"
)

// ErrStopped is returned by Post and After once Stop has been called.
var ErrStopped = errors.New("eventloop: loop is stopped")

// A Loop runs callbacks one at a time on its own goroutine.
type Loop struct {
	testHookPost func()

	tasks chan func() // never closed, so that Post can never panic

	mu      sync.Mutex // protects stopped, timers, and sends on tasks
	stopped bool
	timers  map[*time.Timer]struct{}
}

// New starts a loop goroutine and returns its Loop.
func New() *Loop {
	l := &Loop{
		tasks:  make(chan func(), 1<<16),
		timers: make(map[*time.Timer]struct{}),
	}
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

// After queues f on the loop once d has passed.
func (l *Loop) After(d time.Duration, f func()) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return ErrStopped
	}
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		l.mu.Lock()
		delete(l.timers, t)
		l.mu.Unlock()
		l.Post(f)
	})
	l.timers[t] = struct{}{}
	return nil
}

// Stop makes Post and After refuse new work and cancels pending timers.
func (l *Loop) Stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
	for t := range l.timers {
		t.Stop()
	}
}
