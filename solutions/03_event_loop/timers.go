package eventloop

import (
	"sync"
	"time"
)

// timers are a loop's pending timers: those that After has set and that
// have not yet posted their callback.
type timers struct {
	mu      sync.Mutex               // protects pending and stopped; taken before the loop's own lock
	pending map[*time.Timer]struct{} // made by the first After
	stopped bool                     // stop has been called: no timer is set or fires any more
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
	ts := &l.timers
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.stopped {
		return ErrStopped
	}
	if ts.pending == nil {
		ts.pending = make(map[*time.Timer]struct{})
	}
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		// This runs on the timer's goroutine: it only hands f to the loop.
		// Holding ts.mu makes "not cancelled" and "queued" one step that
		// stop cannot come between.
		ts.mu.Lock()
		defer ts.mu.Unlock()
		if ts.stopped {
			return // Stop came first; the callback is dropped
		}
		delete(ts.pending, t)
		_ = l.Post(f) // the loop is running: Stop stops the timers first
	})
	ts.pending[t] = struct{}{}
	return nil
}

// stop cancels every pending timer, so that their callbacks never run, and
// makes After refuse new ones. Stop calls it first; it may be called more
// than once.
func (ts *timers) stop() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.stopped = true
	for t := range ts.pending {
		t.Stop()
	}
	ts.pending = nil
}
