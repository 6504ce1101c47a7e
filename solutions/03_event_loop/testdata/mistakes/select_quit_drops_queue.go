// Mistake: the loop selects between the callback channel and a quit channel.
//
// Callbacks wait in a big buffered channel and Stop closes quit. Once quit
// is closed, both cases of the loop's select are ready, and select picks one
// at random: with callbacks still queued, Stop wins half of the time and the
// rest of the queue is dropped, although Post returned nil for each of them.
// With one or two queued callbacks it passes often; with a hundred, never.
//
// Replaces: loop.go
// Removes: Loop.next, Loop.signal
// Kind: test failed
// Expect: Stop dropped queued callbacks

package eventloop

import "sync"

// Loop: callbacks on a big buffered channel; Stop closes quit; the loop
// selects between the two, so a Stop can win over callbacks still queued.
type Loop struct {
	testHookPost func()
	timers       timers

	mu      sync.Mutex
	stopped bool

	calls chan func()
	quit  chan struct{}
	done  chan struct{}
}

func New() *Loop {
	l := &Loop{
		calls: make(chan func(), 1<<16),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go l.run()
	return l
}

func (l *Loop) run() {
	defer close(l.done)
	for {
		select {
		case f := <-l.calls:
			f()
		case <-l.quit:
			return
		}
	}
}

func (l *Loop) Post(f func()) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return ErrStopped
	}
	if l.testHookPost != nil {
		l.testHookPost()
	}
	l.calls <- f
	return nil
}

func (l *Loop) Stop() {
	l.timers.stop()
	l.mu.Lock()
	if !l.stopped {
		l.stopped = true
		close(l.quit)
	}
	l.mu.Unlock()
	<-l.done
}
