// Mistake: the loop selects between the callback channel and a quit channel.
//
// Callbacks wait in a big buffered channel and Stop closes quit. Once quit
// is closed, both cases of the loop's select are ready, and select picks one
// at random: with callbacks still queued, Stop wins half of the time and the
// rest of the queue is dropped, although Post returned nil for each of them.
// With one or two queued callbacks it passes often; with a hundred, never.
//
// Replaces: eventloop.go
// Expect: Stop dropped queued callbacks

package eventloop

import (
	"errors"
	"sync"
	"time"
)

var ErrStopped = errors.New("eventloop: loop is stopped")

// Loop: callbacks on a big buffered channel; Stop closes quit; the loop
// selects between the two, so a Stop can win over callbacks still queued.
type Loop struct {
	testHookPost func()

	mu      sync.Mutex
	stopped bool
	timers  map[*time.Timer]struct{}

	calls chan func()
	quit  chan struct{}
	done  chan struct{}
}

func New() *Loop {
	l := &Loop{
		timers: make(map[*time.Timer]struct{}),
		calls:  make(chan func(), 1<<16),
		quit:   make(chan struct{}),
		done:   make(chan struct{}),
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

func (l *Loop) After(d time.Duration, f func()) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return ErrStopped
	}
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.stopped {
			return
		}
		delete(l.timers, t)
		l.calls <- f
	})
	l.timers[t] = struct{}{}
	return nil
}

func (l *Loop) Stop() {
	l.mu.Lock()
	if !l.stopped {
		l.stopped = true
		for t := range l.timers {
			t.Stop()
		}
		l.timers = nil
		close(l.quit)
	}
	l.mu.Unlock()
	<-l.done
}
