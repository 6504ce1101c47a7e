// Mistake: a fired timer is never removed from the set of pending timers.
//
// After adds every timer to the pending set and the timer's function never
// deletes itself. Each After keeps its timer and its f (and what f captures)
// until Stop; a loop that sets a timeout per request grows without bound.
// Every callback still runs on time, so only a look at what the timers keep
// shows it.
//
// Replaces: timers.go
// Kind: test failed
// Expect: fired timers kept

package eventloop

import "time"

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
		_ = l.Post(f) // the loop is running: Stop stops the timers first
	})
	ts.pending[t] = struct{}{}
	return nil
}
