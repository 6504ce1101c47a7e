// Mistake: each timer is a goroutine that sleeps, and Stop forgets them.
//
// go func() { time.Sleep(d); post f }() is the first timer most people
// write. The callback is dropped after Stop, so nothing wrong runs, but a
// goroutine per pending timer outlives the loop: an hour-long timer keeps
// its goroutine (and everything f refers to) alive for an hour after Stop.
//
// Replaces: timers.go
// Kind: goroutine leak
// Expect: pending timers must be cancelled

package eventloop

import (
	"sync"
	"time"
)

type timers struct {
	mu      sync.Mutex // protects stopped
	stopped bool
}

func (l *Loop) After(d time.Duration, f func()) error {
	ts := &l.timers
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.stopped {
		return ErrStopped
	}
	go func() {
		time.Sleep(d)
		ts.mu.Lock()
		defer ts.mu.Unlock()
		if ts.stopped {
			return // too late: the callback is dropped
		}
		_ = l.Post(f)
	}()
	return nil
}

func (ts *timers) stop() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.stopped = true // the sleeping goroutines will find out when they wake
}
