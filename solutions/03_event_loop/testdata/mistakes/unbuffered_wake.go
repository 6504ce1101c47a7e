// Mistake: the wake-up channel has no buffer; Post's non-blocking send drops it.
//
// Lost wake-up: the loop finds the queue empty, unlocks, and before it
// reaches <-l.wake a Post appends and tries select { case l.wake <- x:
// default: }, which drops the signal because nobody is receiving yet. The
// loop then sleeps with a callback queued, forever. It nearly always works:
// the window is a few instructions wide, and no code a test controls runs in
// it, so the tests read the source.
//
// Replaces: loop.go
// Kind: test failed
// Expect: lost wake-up

package eventloop

func New() *Loop {
	l := &Loop{
		wake: make(chan struct{}),
		done: make(chan struct{}),
	}
	go l.run()
	return l
}
