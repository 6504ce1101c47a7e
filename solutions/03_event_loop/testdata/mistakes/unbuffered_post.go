// Mistake: Post hands f to the loop over an unbuffered channel.
//
// A send on an unbuffered channel waits until the loop receives. While the
// loop is busy, every goroutine that posts waits with it; a callback that
// posts waits for the loop, which is itself, forever; and after Stop,
// nobody receives any more, so Post blocks forever. Node programmers
// expect the callback queue to accept work at once, and it does in Node.
//
// Replaces: loop.go
// Removes: Loop.run, Loop.next, Loop.signal
// Kind: deadlock or hang
// Expect: Post blocked

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

	tasks chan func()   // unbuffered: Post waits for the loop
	quit  chan struct{} // closed by Stop
	once  sync.Once
	done  chan struct{} // closed when the loop goroutine has returned
}

// New starts a loop goroutine and returns its Loop.
func New() *Loop {
	l := &Loop{
		tasks: make(chan func()),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
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

// Stop stops the loop and waits until its goroutine has returned.
func (l *Loop) Stop() {
	l.once.Do(func() {
		l.timers.stop()
		close(l.quit)
	})
	<-l.done
}
