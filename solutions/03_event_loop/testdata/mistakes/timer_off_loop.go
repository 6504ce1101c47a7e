// Mistake: the timer runs the callback itself, on the timer's goroutine.
//
// time.AfterFunc looks like setTimeout, but it calls f on a goroutine of
// its own, at the same moment as the loop may be running another callback.
// The timing is right, so a test that only checks when f ran passes; the
// state the loop owns is now touched by two goroutines at once.
//
// Replaces: timers.go
// Kind: data race
// Expect: ran off the loop goroutine

package eventloop

import (
	"sync"
	"time"
)

type timers struct {
	mu      sync.Mutex // protects pending and stopped
	pending map[*time.Timer]struct{}
	stopped bool
}

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
	t := time.AfterFunc(d, f) // like setTimeout, surely
	ts.pending[t] = struct{}{}
	return nil
}
