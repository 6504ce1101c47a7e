// Mistake: each timer is a sleeping goroutine, and Stop waits for them all.
//
// Stop means to leave no goroutine behind, so it waits for the timer
// goroutines, and a timer set for an hour makes Stop take an hour. The
// callbacks are then dropped anyway. Timers that have not fired must be
// cancelled, not waited for.
//
// Replaces: timers.go
// Kind: test failed
// Expect: waited for pending timers

package eventloop

import (
	"sync"
	"time"
)

type timers struct {
	mu      sync.Mutex // protects stopped
	stopped bool
	pending sync.WaitGroup // one goroutine per pending timer
}

func (l *Loop) After(d time.Duration, f func()) error {
	ts := &l.timers
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.stopped {
		return ErrStopped
	}
	ts.pending.Go(func() {
		time.Sleep(d)
		ts.mu.Lock()
		defer ts.mu.Unlock()
		if ts.stopped {
			return // too late: the callback is dropped
		}
		_ = l.Post(f)
	})
	return nil
}

func (ts *timers) stop() {
	ts.mu.Lock()
	ts.stopped = true
	ts.mu.Unlock()
	ts.pending.Wait() // no goroutine left behind, not even a sleeping one
}
