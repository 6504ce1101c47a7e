// Mistake: After checks "stopped" in one critical section and records the timer in a second.
//
// After locks, reads stopped, unlocks, and only then locks again to set the
// timer and add it to the pending set. A Stop in between cancels the timers
// it finds, without this one, and marks the timers stopped: After then
// returns nil for a timer that Stop never cancels (it fires later, refused),
// and if stop also dropped the pending map, the insertion panics on a nil
// map. Nothing the tests control runs in the gap; the source check sees it.
//
// Replaces: timers.go
// Kind: test failed
// Expect: a critical section split in two

package eventloop

import "time"

func (l *Loop) After(d time.Duration, f func()) error {
	ts := &l.timers
	ts.mu.Lock()
	stopped := ts.stopped
	ts.mu.Unlock()
	if stopped {
		return ErrStopped
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
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
