// Mistake: Post hands f to the loop over an unbuffered channel.
//
// A send on an unbuffered channel waits until the loop receives. While the
// loop is busy, every goroutine that posts waits with it; a callback that
// posts waits for the loop, which is itself, forever; and after Stop,
// nobody receives any more, so Post blocks forever. Node programmers
// expect the callback queue to accept work at once, and it does in Node.
//
// Replaces: eventloop.go
// Expect: Post blocked

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

	tasks chan func()   // unbuffered: Post waits for the loop
	quit  chan struct{} // closed by Stop
	once  sync.Once
	done  chan struct{} // closed when the loop goroutine has returned

	mu      sync.Mutex // protects stopped, timers
	stopped bool
	timers  map[*time.Timer]struct{}
}

// New starts a loop goroutine and returns its Loop.
func New() *Loop {
	l := &Loop{
		tasks:  make(chan func()),
		quit:   make(chan struct{}),
		done:   make(chan struct{}),
		timers: make(map[*time.Timer]struct{}),
	}
	go func() {
		defer close(l.done)
		for {
			select {
			case f := <-l.tasks:
				f()
			case <-l.quit:
				return
			}
		}
	}()
	return l
}

// Post queues f to run on the loop goroutine.
func (l *Loop) Post(f func()) error {
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

// Stop stops the loop and waits until its goroutine has returned.
func (l *Loop) Stop() {
	l.once.Do(func() {
		l.mu.Lock()
		l.stopped = true
		for t := range l.timers {
			t.Stop()
		}
		l.mu.Unlock()
		close(l.quit)
	})
	<-l.done
}
