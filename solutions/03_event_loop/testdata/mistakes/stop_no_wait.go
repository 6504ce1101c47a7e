// Mistake: Stop tells the loop to stop, but does not wait for it.
//
// Stop sets the flag and wakes the loop, then returns while the loop may
// still be running a callback and the queue behind it. The caller then
// closes the database the callbacks use, or the test ends and the loop
// goroutine is still there. It passes any test in which the loop happens
// to be idle when Stop is called.
//
// Replaces: loop.go
// Kind: test failed
// Expect: Stop returned while

package eventloop

func (l *Loop) Stop() {
	l.timers.stop()
	l.mu.Lock()
	if !l.stopped {
		l.stopped = true
		l.signal()
	}
	l.mu.Unlock()
	// The loop goroutine will see stopped and return soon enough.
}
