// Mistake: timers post back into the loop, but Stop never cancels them.
//
// After is time.AfterFunc(d, func() { l.Post(f) }), and the timer is not
// remembered. After Stop the callback is refused, so nothing wrong runs and
// no goroutine is left waiting; but every pending timer still fires later,
// and until it does it keeps the stopped loop and its callback in memory: an
// hour-long timer, an hour. Stop must cancel pending timers (Timer.Stop).
//
// Replaces: timers.go
// Kind: test failed
// Expect: pending timers must be cancelled by Stop

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
	stopped := ts.stopped
	ts.mu.Unlock()
	if stopped {
		return ErrStopped
	}
	// The timer posts back into the loop; after Stop, Post refuses it.
	time.AfterFunc(d, func() { _ = l.Post(f) })
	return nil
}

func (ts *timers) stop() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.stopped = true
}
