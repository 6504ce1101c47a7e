package eventloop

import "time"

// timers are a loop's pending timers: those that After has set and that
// have not yet posted their callback.
type timers struct {
	// TODO: add what After and stop need: the pending timers, so that stop
	// can cancel them, a flag that says stop was called, and the lock that
	// protects both. The zero value must be ready to use: New does not set
	// this field up.
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
	// TODO: time.AfterFunc runs f on a goroutine of its own, at the same
	// time as the loop's callbacks. Make the timer hand f to the loop
	// instead (Post), remember the timer in l.timers so that stop can
	// cancel it, and return ErrStopped once stop has been called.
	time.AfterFunc(d, f)
	return nil
}

// stop cancels every pending timer, so that their callbacks never run, and
// makes After refuse new ones. Stop calls it first; it may be called more
// than once.
func (ts *timers) stop() {
	// TODO: mark the timers stopped and cancel each pending one
	// (Timer.Stop).
}
