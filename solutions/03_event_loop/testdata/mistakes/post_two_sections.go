// Mistake: Post checks "stopped" in one critical section and queues f in a second.
//
// Post locks, reads stopped, unlocks, returns ErrStopped if it was set, and
// otherwise locks again to queue f (calling the test hook under that second
// lock). Between the two, Stop can set stopped and the loop can drain its
// empty queue and return: Post then queues f on a loop that is gone and
// returns nil, and f never runs. The hook sits in the second section, so
// TestPost_RacingStop's Stop waits for the lock as it does for a correct
// Post; only the source check sees the split.
//
// Replaces: loop.go
// Kind: test failed
// Expect: a critical section split in two

package eventloop

func (l *Loop) Post(f func()) error {
	l.mu.Lock()
	stopped := l.stopped
	l.mu.Unlock()
	if stopped {
		return ErrStopped
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.testHookPost != nil {
		l.testHookPost()
	}
	l.queue = append(l.queue, f)
	l.signal()
	return nil
}
